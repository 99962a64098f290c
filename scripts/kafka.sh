#!/usr/bin/env bash
# Runs a single-node Apache Kafka broker (KRaft, 127.0.0.1) for the real-broker test suite.
#
#   bash scripts/kafka.sh start    # fetch the jars once (Maven Central), format, start, wait until ready
#   bash scripts/kafka.sh stop     # SIGTERM, wait, SIGKILL after a timeout; removes a temporary data dir
#   bash scripts/kafka.sh kill     # SIGKILL at once (a crash); keeps the data dir for the next start
#   bash scripts/kafka.sh restart  # stop, then start (on the same data when KAFKA_DATA_DIR is set)
#   bash scripts/kafka.sh status   # prints whether it runs
#
# Environment:
#   KAFKA_CACHE_DIR        jars, pid file, log (default: <repo>/.cache/kafka, gitignored)
#   KAFKA_PORT             client listener port (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default 9093)
#   KAFKA_READY_TIMEOUT_S  how long start waits for the broker to answer (default 90)
#   KAFKA_STOP_TIMEOUT_S   how long stop waits after SIGTERM before SIGKILL (default 30)
#   KAFKA_AUTO_CREATE_TOPICS  auto.create.topics.enable (default false: tests create their topics)
#   KAFKA_DATA_DIR         keep the broker's data here, across stop/start (default: a fresh temp dir
#                          per start, removed by stop)
#   KAFKA_PROXIED_PORT     a second client listener on this port, which advertises ...
#   KAFKA_PROXIED_ADVERTISED  ... this host:port instead (a TCP proxy's): clients that bootstrap
#                          through the proxy reach the broker only through it (the chaos suite)
set -euo pipefail

KAFKA_VERSION=3.9.1
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${KAFKA_CACHE_DIR:-$ROOT/.cache/kafka}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
READY_TIMEOUT_S="${KAFKA_READY_TIMEOUT_S:-90}"
STOP_TIMEOUT_S="${KAFKA_STOP_TIMEOUT_S:-30}"
AUTO_CREATE="${KAFKA_AUTO_CREATE_TOPICS:-false}"
KEPT_DATA="${KAFKA_DATA_DIR:-}"
PROXIED_PORT="${KAFKA_PROXIED_PORT:-}"
PROXIED_ADVERTISED="${KAFKA_PROXIED_ADVERTISED:-}"

LIB="$CACHE/lib-$KAFKA_VERSION"
RUN="$CACHE/run-$PORT"
PID_FILE="$RUN/kafka.pid"
LOG_FILE="$RUN/kafka.log"
DATA_FILE="$RUN/data-dir"

log() { echo "[kafka] $*"; }
now_ms() { date +%s%3N; }
secs_since() { awk -v s="$1" -v e="$(now_ms)" 'BEGIN { printf "%.1f", (e - s) / 1000 }'; }

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  # A stale pid file may name a process that reused the pid: it must be our broker.
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && ps -p "$pid" -o args= | grep -q 'kafka\.Kafka' && echo "$pid"
}

fetch_jars() {
  if [[ -f "$LIB/.complete" ]]; then
    log "jars cached in $LIB"
    return
  fi
  command -v mvn >/dev/null || { log "mvn not found: install Maven (apt-get install maven)"; exit 1; }
  local t0
  t0="$(now_ms)"
  log "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $LIB ..."
  rm -rf "$LIB"
  mkdir -p "$LIB"
  mvn -q -B -Dstyle.color=never -f "$ROOT/scripts/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIB"
  touch "$LIB/.complete"
  log "fetched $(ls "$LIB" | wc -l) jars in $(secs_since "$t0")s"
}

write_config() {
  local data="$1" cfg="$2"
  local listeners="PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT"
  local advertised="PLAINTEXT://127.0.0.1:$PORT"
  local protocols="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
  if [[ -n "$PROXIED_PORT" ]]; then
    [[ -n "$PROXIED_ADVERTISED" ]] || { log "KAFKA_PROXIED_PORT needs KAFKA_PROXIED_ADVERTISED (host:port)"; exit 1; }
    listeners="$listeners,PROXIED://127.0.0.1:$PROXIED_PORT"
    advertised="$advertised,PROXIED://$PROXIED_ADVERTISED"
    protocols="$protocols,PROXIED:PLAINTEXT"
  fi
  cat >"$cfg" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=$listeners
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
listener.security.protocol.map=$protocols
inter.broker.listener.name=PLAINTEXT
log.dirs=$data/logs
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=$AUTO_CREATE
delete.topic.enable=true
num.network.threads=2
num.io.threads=2
log.segment.bytes=16777216
PROPS
  cat >"$RUN/log4j.properties" <<PROPS
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
PROPS
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid) on 127.0.0.1:$PORT"
    return 0
  fi
  if port_busy "$PORT"; then
    log "something already listens on 127.0.0.1:$PORT and it is not ours; set KAFKA_PORT or use KAFKA_BROKERS"
    exit 1
  fi
  command -v java >/dev/null || { log "java not found: install a JDK 17 (apt-get install openjdk-17-jre-headless)"; exit 1; }
  fetch_jars
  local t0 data cfg cluster_id
  t0="$(now_ms)"
  mkdir -p "$RUN"
  if [[ -n "$KEPT_DATA" ]]; then
    data="$KEPT_DATA"
    mkdir -p "$data"
    rm -f "$DATA_FILE"
  elif [[ -f "$DATA_FILE" && -d "$(cat "$DATA_FILE")" ]]; then
    data="$(cat "$DATA_FILE")" # left by a kill: start again on it
  else
    data="$(mktemp -d "${TMPDIR:-/tmp}/rx-kstreams-kafka-$PORT.XXXXXX")"
    echo "$data" >"$DATA_FILE"
  fi
  cfg="$data/server.properties"
  write_config "$data" "$cfg"
  local jvm=(java -Xms128m -Xmx512m -XX:+UseSerialGC -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$RUN/log4j.properties" -cp "$LIB/*")
  if [[ -f "$data/logs/meta.properties" ]]; then
    cluster_id="$(sed -n 's/^cluster.id=//p' "$data/logs/meta.properties")"
    log "restarting on the data in $data (cluster $cluster_id)"
    echo "---- start on kept data, $(date -u +%FT%TZ) ----" >>"$LOG_FILE"
  else
    cluster_id="$("${jvm[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    "${jvm[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$cfg" --ignore-formatted >"$LOG_FILE" 2>&1 || {
      log "storage format failed:"
      tail -n 40 "$LOG_FILE"
      exit 1
    }
  fi
  nohup "${jvm[@]}" "-Dkafka.logs.dir=$data/app-logs" kafka.Kafka "$cfg" >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  log "started pid $(cat "$PID_FILE") (cluster $cluster_id, data $data, log $LOG_FILE); waiting until it answers ..."
  if ! KAFKA_BROKERS="127.0.0.1:$PORT" KAFKA_READY_TIMEOUT_S="$READY_TIMEOUT_S" \
    "$ROOT/node_modules/.bin/tsx" "$ROOT/scripts/kafka/wait-ready.ts"; then
    log "broker did not become ready; last lines of $LOG_FILE:"
    tail -n 60 "$LOG_FILE"
    stop
    exit 1
  fi
  log "ready on 127.0.0.1:$PORT${PROXIED_PORT:+ (and $PROXIED_PORT, advertised as $PROXIED_ADVERTISED)} in $(secs_since "$t0")s (auto.create.topics.enable=$AUTO_CREATE)"
}

kill_now() {
  local pid
  if pid="$(running_pid)"; then
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    log "killed pid $pid (SIGKILL); its data stays for the next start"
  else
    log "not running"
  fi
  rm -f "$PID_FILE"
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    log "stopping pid $pid ..."
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
      if ((waited >= STOP_TIMEOUT_S * 10)); then
        log "still running after ${STOP_TIMEOUT_S}s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.1
      waited=$((waited + 1))
    done
    log "stopped"
  else
    log "not running"
  fi
  rm -f "$PID_FILE"
  if [[ -f "$DATA_FILE" ]]; then
    local data
    data="$(cat "$DATA_FILE")"
    case "$data" in
      */rx-kstreams-kafka-*) rm -rf "$data" ;;
    esac
    rm -f "$DATA_FILE"
  fi
}

status() {
  local pid
  if pid="$(running_pid)"; then
    log "running (pid $pid) on 127.0.0.1:$PORT, log $LOG_FILE"
  else
    log "not running"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  kill) kill_now ;;
  status) status ;;
  restart) stop && start ;;
  *)
    echo "usage: bash scripts/kafka.sh start|stop|kill|restart|status" >&2
    exit 2
    ;;
esac
