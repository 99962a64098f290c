import { Broker } from '@kafkats/client';
import { unsupportedKafkats } from './kafkats-internals';

/** Set to `off` to leave @kafkats/client unpatched (to compare, or to rule the fix out). */
export const KAFKATS_FIXES_ENV = 'RX_KSTREAMS_KAFKATS_FIXES';

const FIXED = Symbol.for('rx-kstreams/kafkats-reconnect-fix');

/** How long a connection waits after a failed reconnect before it tries again, at most. */
const MAX_BACKOFF_MS = 2000;
const FIRST_BACKOFF_MS = 100;

/** The part of @kafkats/client 0.12's (unexported) `Connection` class the fix touches. */
interface KafkatsConnection {
  _state: string;
  connect(): Promise<void>;
  send(...args: unknown[]): Promise<unknown>;
  sendNoResponse(...args: unknown[]): Promise<unknown>;
}

interface ConnectionClass {
  readonly prototype: KafkatsConnection & { [FIXED]?: true };
}

/** Per connection: when it may try to reconnect next, and how long the last wait was. */
const backoffs = new WeakMap<KafkatsConnection, { notBefore: number; lastMs: number }>();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Reconnects a connection the broker or the network dropped, spacing out failed attempts. */
const reconnect = async (connection: KafkatsConnection): Promise<void> => {
  const backoff = backoffs.get(connection);
  const wait = backoff === undefined ? 0 : backoff.notBefore - Date.now();
  if (wait > 0) await sleep(wait);
  // Another caller may have reconnected it meanwhile; connect() shares one attempt anyway.
  if (connection._state !== 'disconnected') return;
  try {
    await connection.connect();
    backoffs.delete(connection);
  } catch (error) {
    const lastMs = Math.min(
      MAX_BACKOFF_MS,
      (backoffs.get(connection)?.lastMs ?? 0) * 2 || FIRST_BACKOFF_MS,
    );
    backoffs.set(connection, { notBefore: Date.now() + lastMs, lastMs });
    throw error;
  }
};

/**
 * Fixes @kafkats/client 0.12 so that a connection the network dropped is reconnected when it
 * is next used. Its consumer keeps the `Broker` objects it talks to (each partition's leader
 * for fetching, the group coordinator for heartbeats and commits), and a `Connection` whose
 * socket closed stays closed: every later request fails at once with "Cannot send on
 * disconnected connection" — the fetch loop retrying without a pause, the heartbeat failing
 * until the member has left the group — and only a new client recovers (rx-kstreams's liveness
 * watchdog makes one after `livenessTimeoutMs`). Patched, `send` on a connection that was
 * connected and dropped (not one closed on purpose) reconnects first — socket, SASL
 * handshake — waiting 100 ms, doubling up to 2 s, after each failed attempt.
 *
 * Applies once per process (the class carries a mark); returns false when it was applied
 * already or `RX_KSTREAMS_KAFKATS_FIXES=off`.
 *
 * @example
 * applyKafkatsReconnectFix(); // true the first time
 */
export const applyKafkatsReconnectFix = (env: NodeJS.ProcessEnv = process.env): boolean => {
  if (env[KAFKATS_FIXES_ENV] === 'off') return false;
  const probe = new Broker({
    host: '127.0.0.1',
    port: 9,
    nodeId: -1,
    clientId: 'probe',
  }) as unknown as {
    connection?: { constructor?: unknown };
  };
  const Connection = probe.connection?.constructor as ConnectionClass | undefined;
  const proto = Connection?.prototype;
  if (
    proto === undefined ||
    typeof proto.send !== 'function' ||
    typeof proto.sendNoResponse !== 'function' ||
    typeof proto.connect !== 'function'
  ) {
    throw unsupportedKafkats();
  }
  if (proto[FIXED] === true) return false;
  const { send, sendNoResponse } = proto;
  proto.send = async function (this: KafkatsConnection, ...args: unknown[]) {
    if (this._state === 'disconnected') await reconnect(this);
    return send.apply(this, args);
  };
  proto.sendNoResponse = async function (this: KafkatsConnection, ...args: unknown[]) {
    if (this._state === 'disconnected') await reconnect(this);
    return sendNoResponse.apply(this, args);
  };
  proto[FIXED] = true;
  return true;
};
