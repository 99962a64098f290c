import type { KafkajsClass, KafkajsConnection } from './kafkajs-internals';
import { messageOf } from '../../errors/message-of';

const FIXED = Symbol.for('rx-kstreams/kafkajs-connection-fix');
const CONNECTING = Symbol('rx-kstreams/connecting');

type Fixable = KafkajsConnection & {
  [CONNECTING]?: Promise<boolean> | undefined;
};

/** What kafkajs's constructor sets up: no bytes buffered, four needed (a frame's size). */
const resetReceiveState = (connection: KafkajsConnection): void => {
  connection.chunks = [];
  connection.bytesBuffered = 0;
  connection.bytesNeeded = 4;
};

/**
 * Fixes kafkajs 2.2.4's `Connection` so that a reconnect starts reading a fresh byte stream.
 *
 * kafkajs sets a connection's receive buffer (`chunks`, `bytesBuffered`, `bytesNeeded`) up
 * only in its constructor, and its pool reconnects the same object. A socket reset in the
 * middle of a response leaves a partial frame behind; the new socket's bytes are then parsed
 * as its rest, so the next response is dropped as "Response without match", every later
 * request on the connection times out (a consumer's fetches, every 30 s, forever), and a
 * garbage frame size below 4 throws `RangeError [ERR_BUFFER_OUT_OF_BOUNDS]` inside a socket
 * `data` handler, which takes the process down.
 *
 * Patched, `connect()` of a disconnected connection
 * - retires the previous socket (destroyed, so no late byte of it reaches the new stream),
 * - resets the receive state,
 * - and shares one attempt between concurrent callers (two sockets would feed one buffer);
 *
 * and a response that cannot be parsed no longer throws out of the socket handler: the
 * socket is destroyed with the error, which kafkajs handles as any connection error (its
 * requests fail as retriable, the next request reconnects).
 *
 * Applies once per class; returns false when it was applied already.
 *
 * @example
 * fixConnection(loadKafkajsInternals().Connection); // true
 */
export const fixConnection = (
  Connection: KafkajsClass<KafkajsConnection>,
  { resetOnReconnect = true }: { readonly resetOnReconnect?: boolean } = {},
): boolean => {
  const proto = Connection.prototype as Fixable & { [FIXED]?: true };
  if (proto[FIXED] === true) return false;
  const connect = proto.connect;
  const processData = proto.processData;

  // Without the reset (`resetOnReconnect: false`, the crash guard alone) a torn response can
  // still stall the connection; the guard only keeps its exception from ending the process.
  if (resetOnReconnect)
    proto.connect = function (this: Fixable): Promise<boolean> {
      if (this.isConnected()) return connect.call(this);
      const under = this[CONNECTING];
      if (under !== undefined) return under;
      if (this.socket !== undefined && this.socket.destroyed !== true) this.socket.destroy();
      resetReceiveState(this);
      const attempt = connect.call(this);
      this[CONNECTING] = attempt;
      const settled = (): void => {
        if (this[CONNECTING] === attempt) this[CONNECTING] = undefined;
      };
      attempt.then(settled, settled);
      return attempt;
    };

  proto.processData = function (this: Fixable, data: Buffer): void {
    try {
      processData.call(this, data);
    } catch (error) {
      resetReceiveState(this);
      const reason = messageOf(error);
      this.socket?.destroy(
        new Error(`unreadable response from ${this.broker} (${reason}); reconnecting`),
      );
    }
  };

  Object.defineProperty(proto, FIXED, { value: true });
  return true;
};
