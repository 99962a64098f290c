#!/usr/bin/env bash
# Runs a single-node Apache Kafka broker (KRaft, 127.0.0.1) for the real-broker test suite.
#
#   bash scripts/kafka.sh start    # fetch the jars once (Maven Central), format, start, wait until ready
#   bash scripts/kafka.sh stop     # SIGTERM, wait, SIGKILL after a timeout; removes a temporary data dir
#   bash scripts/kafka.sh kill     # SIGKILL at once (a crash); keeps the data dir for the next start
#   bash scripts/kafka.sh restart  # stop, then start (on the same data when KAFKA_DATA_DIR is set)
#   bash scripts/kafka.sh status   # prints whether it runs (and its TLS/SASL listeners, if any)
#
# Environment:
#   KAFKA_VERSION          Apache Kafka version (default 3.9.1); 3.x and 4.x (e.g. 4.1.1; Maven
#                          Central serves 4.0.x-4.4.0) both work. 3.x logs through reload4j
#                          (scripts/kafka/pom.xml), 4.x through log4j2 (scripts/kafka/pom-4.xml adds
#                          log4j-core and the log4j-slf4j-impl binding). Jars are cached per version.
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
#   KAFKA_SECURITY         1: also open a TLS and a SASL listener (default 0: PLAINTEXT only).
#                          Inter-broker and controller traffic stay PLAINTEXT; PLAINTEXT stays open.
#     KAFKA_TLS_PORT       SSL://127.0.0.1:<port>, server-only TLS, no client certificates
#                          (default KAFKA_PORT+10)
#     KAFKA_SASL_PORT      SASL_PLAINTEXT://127.0.0.1:<port>, SCRAM-SHA-512 only (default KAFKA_PORT+11)
#                          SCRAM user rxk, password rxk-secret (added when the storage is formatted,
#                          or with kafka-configs on data formatted without it).
#     A throwaway CA and a broker certificate (SAN IP:127.0.0.1, DNS:localhost) are made with the
#     JDK's keytool in <run dir>/tls (run dir: $KAFKA_CACHE_DIR/run-$KAFKA_PORT) and kept across
#     stop/start/kill (a restarted broker keeps its CA, so clients that read ca.pem keep trusting
#     it); they are made again when 20 days old or when <run dir>/tls is deleted:
#     ca.pem (the CA that signed the broker's certificate: a Node client's `ca`), untrusted-ca.pem
#     (an unrelated CA: TLS with it must fail), broker.p12 / truststore.p12 (PKCS12, password
#     rx-kstreams-test). With a JDK, keytool's commands run in one JVM (scripts/kafka/
#     KeytoolBatch.java, compiled once into the cache), else one keytool JVM per command.
#     start waits for a TLS and a SASL login too (scripts/kafka/wait-security.ts) before it reports
#     ready, and prints (status too) the ports, the CA and <run dir>/security.env: for a test
#     runner to `source`, it holds
#       KAFKA_TLS_BROKERS=127.0.0.1:<tls port>   KAFKA_SASL_BROKERS=127.0.0.1:<sasl port>
#       KAFKA_TLS_CA=<run dir>/tls/ca.pem         KAFKA_TLS_UNTRUSTED_CA=<run dir>/tls/untrusted-ca.pem
#       KAFKA_SASL_USERNAME=rxk                  KAFKA_SASL_PASSWORD=rxk-secret
#     stop removes security.env.
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
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
SECURITY="${KAFKA_SECURITY:-0}"
TLS_PORT="${KAFKA_TLS_PORT:-$((PORT + 10))}"
SASL_PORT="${KAFKA_SASL_PORT:-$((PORT + 11))}"
SASL_USERNAME=rxk
SASL_PASSWORD=rxk-secret
KAFKA_MAJOR="${KAFKA_VERSION%%.*}"

LIB="$CACHE/lib-$KAFKA_VERSION"
RUN="$CACHE/run-$PORT"
PID_FILE="$RUN/kafka.pid"
LOG_FILE="$RUN/kafka.log"
DATA_FILE="$RUN/data-dir"
TLS_DIR="$RUN/tls"
SECURITY_ENV="$RUN/security.env"
# The stores only guard throwaway test keys.
STORE_PASS=rx-kstreams-test

case "$SECURITY" in
  1 | true | yes) SECURITY=1 ;;
  0 | false | no | '') SECURITY=0 ;;
  *)
    echo "[kafka] KAFKA_SECURITY must be 0 or 1, not '$SECURITY'" >&2
    exit 2
    ;;
esac
[[ "$KAFKA_MAJOR" =~ ^[0-9]+$ ]] || {
  echo "[kafka] KAFKA_VERSION '$KAFKA_VERSION' is not a version like 3.9.1 or 4.1.1" >&2
  exit 2
}

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

# Maven 3.8 prints ANSI resets even when quiet and colourless: only its messages stay.
run_mvn() { mvn "$@" 2>&1 | sed -e $'s/\x1b\\[[0-9;]*m//g' -e '/^[[:space:]]*$/d'; }

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
  local mvn=(run_mvn -q -B -Dstyle.color=never)
  if ((KAFKA_MAJOR < 4)); then
    # Kafka 3.x logs through slf4j 1.7 + reload4j, which the pom adds.
    "${mvn[@]}" -f "$ROOT/scripts/kafka/pom.xml" dependency:copy-dependencies \
      -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$LIB"
  else
    # Kafka 4.x logs through log4j2 but brings no slf4j binding (4.1 brings log4j-api and
    # log4j-core, 4.0 neither): copy again with the profile that adds them, in the log4j2
    # version it brought (else the pom's default) and for its slf4j-api (1.7.x or 2.x).
    "${mvn[@]}" -f "$ROOT/scripts/kafka/pom-4.xml" dependency:copy-dependencies \
      -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$LIB"
    local log4j_jar log4j_version=() profile=log4j2
    log4j_jar="$(find "$LIB" -maxdepth 1 \( -name 'log4j-core-*.jar' -o -name 'log4j-api-*.jar' \) | sort | head -n 1)"
    if [[ -n "$log4j_jar" ]]; then
      log4j_jar="$(basename "$log4j_jar" .jar)"
      log4j_jar="${log4j_jar#log4j-api-}"
      log4j_version=("-Dlog4j2.version=${log4j_jar#log4j-core-}")
    fi
    if compgen -G "$LIB/slf4j-api-2.*.jar" >/dev/null; then profile=log4j2-slf4j2; fi
    "${mvn[@]}" -f "$ROOT/scripts/kafka/pom-4.xml" -P "$profile" dependency:copy-dependencies \
      -Dkafka.version="$KAFKA_VERSION" "${log4j_version[@]}" -DincludeScope=runtime -DoutputDirectory="$LIB"
  fi
  touch "$LIB/.complete"
  log "fetched $(find "$LIB" -maxdepth 1 -name '*.jar' | wc -l) jars in $(secs_since "$t0")s"
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
  if ((SECURITY)); then
    listeners="$listeners,SSL://127.0.0.1:$TLS_PORT,SASL_PLAINTEXT://127.0.0.1:$SASL_PORT"
    advertised="$advertised,SSL://127.0.0.1:$TLS_PORT,SASL_PLAINTEXT://127.0.0.1:$SASL_PORT"
    protocols="$protocols,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT"
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
  if ((SECURITY)); then
    cat >>"$cfg" <<PROPS
listener.name.ssl.ssl.keystore.type=PKCS12
listener.name.ssl.ssl.keystore.location=$TLS_DIR/broker.p12
listener.name.ssl.ssl.keystore.password=$STORE_PASS
listener.name.ssl.ssl.key.password=$STORE_PASS
listener.name.ssl.ssl.truststore.type=PKCS12
listener.name.ssl.ssl.truststore.location=$TLS_DIR/truststore.p12
listener.name.ssl.ssl.truststore.password=$STORE_PASS
listener.name.ssl.ssl.client.auth=none
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
PROPS
  fi
  # Kafka 3.x reads the first file (reload4j), Kafka 4.x the second (log4j2).
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
  cat >"$RUN/log4j2.properties" <<'PROPS'
status=warn
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.stdout.ref=STDOUT
logger.kafka.name=kafka
logger.kafka.level=INFO
logger.apache.name=org.apache.kafka
logger.apache.level=INFO
logger.request.name=kafka.request.logger
logger.request.level=WARN
logger.state.name=state.change.logger
logger.state.level=WARN
logger.cleaner.name=kafka.log.LogCleaner
logger.cleaner.level=WARN
PROPS
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A cluster id as Kafka's Uuid.randomUuid() makes it (16 random bytes, base64url without padding,
# not starting with '-'), without a JVM start for `StorageTool random-uuid`.
random_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" == -* ]] || break
  done
  echo "$id"
}

# keytool's PKCS12 default is 10000 PBKDF2 iterations per key, certificate bag and MAC, which is
# most of its time; the stores guard throwaway test keys only.
KEYTOOL_JVM=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dkeystore.pkcs12.certPbeIterationCount=1000
  -Dkeystore.pkcs12.keyPbeIterationCount=1000 -Dkeystore.pkcs12.macIterationCount=1000)
KEYTOOL_EXPORTS=(--add-exports java.base/sun.security.tools.keytool=ALL-UNNAMED)

java_tool() { # the JDK tool $1 beside the java on PATH
  if command -v "$1" >/dev/null; then
    command -v "$1"
    return
  fi
  local bin
  bin="$(dirname "$(readlink -f "$(command -v java)")")/$1"
  [[ -x "$bin" ]] || return 1
  echo "$bin"
}

# scripts/kafka/KeytoolBatch.java, compiled once into the cache (per source and JDK); prints its
# class dir, or fails without javac.
keytool_batch_classes() {
  local javac src="$ROOT/scripts/kafka/KeytoolBatch.java" key dir tmp
  javac="$(java_tool javac)" || return 1
  key="$({ cksum <"$src"; java -version 2>&1; } | cksum | cut -d' ' -f1)"
  dir="$CACHE/keytool-batch-$key"
  if [[ ! -f "$dir/KeytoolBatch.class" ]]; then
    tmp="$(mktemp -d "$CACHE/.keytool-batch.XXXXXX")"
    "$javac" "${KEYTOOL_EXPORTS[@]}" -nowarn -d "$tmp" "$src" >&2 || { rm -rf "$tmp"; return 1; }
    mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp" # another start compiled it meanwhile
  fi
  echo "$dir"
}

# Makes, in $TLS_DIR: the throwaway CA (ca.p12, ca.pem), an unrelated one (untrusted-ca.p12,
# untrusted-ca.pem), the broker's key store (broker.p12: its EC key with a certificate for
# IP:127.0.0.1 and DNS:localhost signed by the CA, chain broker <- CA) and a trust store with
# the CA (truststore.p12). keytool only: the commands run in one JVM (KeytoolBatch, about 0.6s)
# or, without javac, as one keytool JVM each, round by round with a round's commands side by side.
keytool_line() { (IFS=$'\t' && echo "$*"); } # one KeytoolBatch line: tab-separated arguments

make_tls() {
  local san="SAN=IP:127.0.0.1,DNS:localhost" store=(-storetype PKCS12 -storepass "$STORE_PASS")
  local key=(-genkeypair -keyalg EC -groupname secp256r1 -validity 30 -startdate -1d)
  local ca=("${key[@]}" -ext bc:c -ext "KU:c=keyCertSign,cRLSign" "${store[@]}")
  # Rounds: a command needs only files of earlier rounds.
  local rounds=(
    "$(keytool_line "${ca[@]}" -alias ca -dname "CN=rx-kstreams throwaway test CA" -keystore ca.p12)
$(keytool_line "${ca[@]}" -alias untrusted-ca -dname "CN=rx-kstreams untrusted test CA" -keystore untrusted-ca.p12)
$(keytool_line "${key[@]}" -alias broker -dname CN=localhost -ext "$san" "${store[@]}" -keystore broker.p12)"
    "$(keytool_line -exportcert -rfc -alias ca "${store[@]}" -keystore ca.p12 -file ca.pem)
$(keytool_line -exportcert -rfc -alias untrusted-ca "${store[@]}" -keystore untrusted-ca.p12 -file untrusted-ca.pem)
$(keytool_line -certreq -alias broker "${store[@]}" -keystore broker.p12 -file broker.csr)"
    "$(keytool_line -gencert -rfc -alias ca "${store[@]}" -keystore ca.p12 -validity 30 -startdate -1d \
      -ext "$san" -ext KU:c=digitalSignature -ext EKU=serverAuth -infile broker.csr -outfile broker.pem)
$(keytool_line -importcert -noprompt -alias ca "${store[@]}" -keystore broker.p12 -file ca.pem)
$(keytool_line -importcert -noprompt -alias ca "${store[@]}" -keystore truststore.p12 -file ca.pem)"
    "$(keytool_line -importcert -noprompt -alias broker "${store[@]}" -keystore broker.p12 -file broker.pem)"
  )
  log "TLS: making a throwaway CA and the broker's certificate in $TLS_DIR ..."
  rm -rf "$TLS_DIR"
  mkdir -p "$TLS_DIR"
  local classes
  if classes="$(keytool_batch_classes 2>>"$TLS_DIR/keytool.log")" &&
    (cd "$TLS_DIR" && printf '%s\n' "${rounds[@]}" |
      java "${KEYTOOL_JVM[@]}" "${KEYTOOL_EXPORTS[@]}" -cp "$classes" KeytoolBatch) >>"$TLS_DIR/keytool.log" 2>&1; then
    echo "$TLS_RECIPE" >"$TLS_DIR/.complete"
    return 0
  fi
  local keytool
  keytool="$(java_tool keytool)" || { log "keytool not found (it comes with the JDK/JRE)"; return 1; }
  find "$TLS_DIR" -mindepth 1 ! -name keytool.log -delete
  echo "---- one keytool JVM per command ----" >>"$TLS_DIR/keytool.log"
  local round cmd args pids pid failed=0 t=$'\t'
  for round in "${rounds[@]}"; do
    pids=()
    while IFS= read -r cmd; do
      IFS="$t" read -r -a args <<<"$cmd"
      (cd "$TLS_DIR" && exec "$keytool" "${KEYTOOL_JVM[@]/#/-J}" "${args[@]}") >>"$TLS_DIR/keytool.log" 2>&1 &
      pids+=($!)
    done <<<"$round"
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
    ((failed == 0)) || return 1
  done
  echo "$TLS_RECIPE" >"$TLS_DIR/.complete"
}

# What make_tls makes, in its marker: material from an older recipe is made again.
TLS_RECIPE="keytool EC P-256, SAN IP:127.0.0.1 DNS:localhost, PKCS12, v1"

# Whether $TLS_DIR holds complete material of this recipe, younger than 20 days (certificates
# are valid 30 days from a day before they were made).
tls_current() {
  [[ -f "$TLS_DIR/.complete" && "$(cat "$TLS_DIR/.complete")" == "$TLS_RECIPE" ]] || return 1
  [[ -z "$(find "$TLS_DIR/.complete" -mtime +20)" ]]
}

# SCRAM users for `StorageTool format --add-scram`, and the marker that says the data has them.
scram_arg() { echo "SCRAM-SHA-512=[name=$SASL_USERNAME,password=$SASL_PASSWORD]"; }
scram_marker() { echo "$1/logs/.rx-kstreams-scram-users"; }

# KEY=value lines; a value with characters a shell would split or expand is single-quoted.
env_line() {
  if [[ "$2" =~ ^[A-Za-z0-9_./:@,+=-]*$ ]]; then
    printf '%s=%s\n' "$1" "$2"
  else
    printf "%s='%s'\n" "$1" "${2//\'/\'\\\'\'}"
  fi
}

write_security_env() {
  {
    env_line KAFKA_TLS_BROKERS "127.0.0.1:$TLS_PORT"
    env_line KAFKA_SASL_BROKERS "127.0.0.1:$SASL_PORT"
    env_line KAFKA_TLS_CA "$TLS_DIR/ca.pem"
    env_line KAFKA_TLS_UNTRUSTED_CA "$TLS_DIR/untrusted-ca.pem"
    env_line KAFKA_SASL_USERNAME "$SASL_USERNAME"
    env_line KAFKA_SASL_PASSWORD "$SASL_PASSWORD"
  } >"$SECURITY_ENV"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid) on 127.0.0.1:$PORT"
    if [[ -f "$SECURITY_ENV" ]]; then
      print_security "$SECURITY_ENV"
    elif ((SECURITY)); then
      log "it runs without the TLS and SASL listeners (not started with KAFKA_SECURITY=1): restart it"
    fi
    return 0
  fi
  if port_busy "$PORT"; then
    log "something already listens on 127.0.0.1:$PORT and it is not ours; set KAFKA_PORT or use KAFKA_BROKERS"
    exit 1
  fi
  if ((SECURITY)); then
    local p
    for p in "$TLS_PORT" "$SASL_PORT"; do
      if port_busy "$p"; then
        log "something already listens on 127.0.0.1:$p; set KAFKA_TLS_PORT / KAFKA_SASL_PORT"
        exit 1
      fi
    done
  fi
  command -v java >/dev/null || { log "java not found: install a JDK 17 (apt-get install openjdk-17-jre-headless)"; exit 1; }
  fetch_jars
  local t0 data cfg cluster_id tls_pid=''
  t0="$(now_ms)"
  mkdir -p "$RUN"
  rm -f "$SECURITY_ENV"
  if ((SECURITY)); then
    if tls_current; then
      log "TLS: the CA and broker certificate in $TLS_DIR (made $(date -r "$TLS_DIR/.complete" +%F))"
    else
      # Runs while the storage is formatted; the broker needs it only when it starts.
      make_tls &
      tls_pid=$!
    fi
  fi
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
  local logging="-Dlog4j.configuration=file:$RUN/log4j.properties"
  ((KAFKA_MAJOR < 4)) || logging="-Dlog4j2.configurationFile=$RUN/log4j2.properties"
  local jvm=(java -Xms128m -Xmx512m -XX:+UseSerialGC -Djava.awt.headless=true "$logging" -cp "$LIB/*")
  # Short-lived tools start faster with the C1 compiler only.
  local tool=("${jvm[@]:0:1}" -XX:TieredStopAtLevel=1 "${jvm[@]:1}")
  local add_scram=0
  if [[ -f "$data/logs/meta.properties" ]]; then
    cluster_id="$(sed -n 's/^cluster.id=//p' "$data/logs/meta.properties")"
    log "restarting on the data in $data (cluster $cluster_id)"
    echo "---- start on kept data, $(date -u +%FT%TZ) ----" >>"$LOG_FILE"
    ((SECURITY)) && [[ ! -f "$(scram_marker "$data")" ]] && add_scram=1
  else
    cluster_id="$(random_cluster_id)"
    local format=("${tool[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$cfg" --ignore-formatted)
    ((SECURITY)) && format+=(--add-scram "$(scram_arg)")
    "${format[@]}" >"$LOG_FILE" 2>&1 || {
      log "storage format failed:"
      tail -n 40 "$LOG_FILE"
      if [[ -n "$tls_pid" ]]; then wait "$tls_pid" || true; fi
      exit 1
    }
    ((SECURITY)) && touch "$(scram_marker "$data")"
  fi
  if [[ -n "$tls_pid" ]] && ! wait "$tls_pid"; then
    log "making the TLS certificates with keytool failed (log $TLS_DIR/keytool.log):"
    tail -n 40 "$TLS_DIR/keytool.log"
    stop >/dev/null
    exit 1
  fi
  nohup "${jvm[@]}" "-Dkafka.logs.dir=$data/app-logs" kafka.Kafka "$cfg" >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  log "started Kafka $KAFKA_VERSION, pid $(cat "$PID_FILE") (cluster $cluster_id, data $data, log $LOG_FILE); waiting until it answers ..."
  ((SECURITY)) && write_security_env
  if ((SECURITY && !add_scram)); then
    # One Node process waits for PLAINTEXT (as wait-ready.ts) and for a TLS and a SASL login.
    if ! wait_security "127.0.0.1:$PORT"; then
      log "broker did not become ready (PLAINTEXT, TLS and SASL); last lines of $LOG_FILE:"
      tail -n 60 "$LOG_FILE"
      stop
      exit 1
    fi
  else
    if ! KAFKA_BROKERS="127.0.0.1:$PORT" KAFKA_READY_TIMEOUT_S="$READY_TIMEOUT_S" \
      "$ROOT/node_modules/.bin/tsx" "$ROOT/scripts/kafka/wait-ready.ts"; then
      log "broker did not become ready; last lines of $LOG_FILE:"
      tail -n 60 "$LOG_FILE"
      stop
      exit 1
    fi
  fi
  if ((add_scram)); then
    # Data formatted without the SCRAM user: add it through the running broker.
    log "adding SCRAM-SHA-512 user $SASL_USERNAME with kafka-configs ..."
    "${tool[@]}" kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$PORT" --alter \
      --entity-type users --entity-name "$SASL_USERNAME" \
      --add-config "SCRAM-SHA-512=[password=$SASL_PASSWORD]" >>"$LOG_FILE" 2>&1 || {
      log "kafka-configs could not add the SCRAM user; last lines of $LOG_FILE:"
      tail -n 20 "$LOG_FILE"
      stop
      exit 1
    }
    touch "$(scram_marker "$data")"
    if ! wait_security; then
      log "TLS or SASL login failed; last lines of $LOG_FILE:"
      tail -n 30 "$LOG_FILE"
      stop
      exit 1
    fi
  fi
  log "ready on 127.0.0.1:$PORT${PROXIED_PORT:+ (and $PROXIED_PORT, advertised as $PROXIED_ADVERTISED)} in $(secs_since "$t0")s (Kafka $KAFKA_VERSION, auto.create.topics.enable=$AUTO_CREATE)"
  ((SECURITY)) && print_security "$SECURITY_ENV"
  return 0
}

# Waits for a TLS login (checked against ca.pem) and a SASL login on the listeners in
# security.env, and for an answer on PLAINTEXT $1 (if given) as wait-ready.ts waits for it.
wait_security() {
  KAFKA_SECURITY_ENV="$SECURITY_ENV" KAFKA_BROKERS="${1:-}" KAFKA_READY_TIMEOUT_S="$READY_TIMEOUT_S" \
    "$ROOT/node_modules/.bin/tsx" "$ROOT/scripts/kafka/wait-security.ts"
}

# Prints the TLS/SASL listeners of a security.env.
print_security() {
  local env_file="$1" KAFKA_TLS_BROKERS='' KAFKA_SASL_BROKERS='' KAFKA_TLS_CA='' KAFKA_TLS_UNTRUSTED_CA=''
  local KAFKA_SASL_USERNAME='' KAFKA_SASL_PASSWORD=''
  # shellcheck disable=SC1090
  source "$env_file"
  log "TLS  on $KAFKA_TLS_BROKERS (SSL, CA $KAFKA_TLS_CA; untrusted CA $KAFKA_TLS_UNTRUSTED_CA)"
  log "SASL on $KAFKA_SASL_BROKERS (SASL_PLAINTEXT, SCRAM-SHA-512, user $KAFKA_SASL_USERNAME, password $KAFKA_SASL_PASSWORD)"
  log "env for a test runner: source $env_file"
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
  rm -f "$PID_FILE" "$SECURITY_ENV"
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
    [[ -f "$SECURITY_ENV" ]] && print_security "$SECURITY_ENV"
    return 0
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
