/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs's internals have no exports */
import type { Socket } from 'node:net';
import { fixConnection } from '../../../lib/kafka/kafkajs/connection-fix';
import type { KafkajsClass, KafkajsConnection } from '../../../lib/kafka/kafkajs/kafkajs-internals';
import { FAKE_API_VERSIONS, startFakeBroker, type FakeBroker } from './support/fake-broker';

interface ConnectionUnderTest extends KafkajsConnection {
  send(protocol: unknown): Promise<{ errorCode: number; apiVersions: unknown[] }>;
  disconnect(): Promise<boolean>;
}
type ConnectionClass = KafkajsClass<ConnectionUnderTest> &
  (new (options: object) => ConnectionUnderTest);

const { createLogger, LEVELS } = require('kafkajs/src/loggers');
const defaultSocketFactory = require('kafkajs/src/network/socketFactory');
const apiVersionsV0 = (): unknown =>
  require('kafkajs/src/protocol/requests/apiVersions').protocol({ version: 0 })();

const FixedConnection = require('kafkajs/src/network/connection') as ConnectionClass;
/** A copy of kafkajs's Connection module that no fix has touched. */
const unfixedConnection = (): ConnectionClass => {
  let loaded!: ConnectionClass;
  jest.isolateModules(() => {
    loaded = require('kafkajs/src/network/connection') as ConnectionClass;
  });
  return loaded;
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const until = async (check: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
};

/**
 * A connection to the fake broker whose sockets hand what their handlers throw to `thrown`
 * instead of to the process (there it would be an uncaught exception).
 */
const connectionTo = (
  Connection: ConnectionClass,
  broker: FakeBroker,
  thrown: unknown[],
): ConnectionUnderTest => {
  const factory = defaultSocketFactory();
  return new Connection({
    host: '127.0.0.1',
    port: broker.port,
    logger: createLogger({ level: LEVELS.NOTHING, logCreator: () => () => undefined }),
    socketFactory: (args: object) => {
      const socket: Socket = factory(args);
      const emit = socket.emit.bind(socket);
      socket.emit = (event: string | symbol, ...rest: unknown[]): boolean => {
        try {
          return emit(event, ...rest);
        } catch (error) {
          thrown.push(error);
          return true;
        }
      };
      return socket;
    },
    requestTimeout: 600,
    connectionTimeout: 2000,
  });
};

/** Connects, sends ApiVersions (which the broker cuts mid-response), then reconnects the same object. */
const cutThenReconnect = async (connection: ConnectionUnderTest): Promise<void> => {
  await connection.connect();
  await expect(connection.send(apiVersionsV0())).rejects.toThrow(/Connection error|Closed/);
  await until(() => !connection.isConnected(), 'the cut connection to disconnect');
  await connection.connect();
};

describe('fixConnection (kafkajs 2.2.4 reconnect)', () => {
  const brokers: FakeBroker[] = [];
  const connections: ConnectionUnderTest[] = [];
  const fakeBroker = async (...args: Parameters<typeof startFakeBroker>): Promise<FakeBroker> => {
    const broker = await startFakeBroker(...args);
    brokers.push(broker);
    return broker;
  };
  const open = (Connection: ConnectionClass, broker: FakeBroker, thrown: unknown[]) => {
    const connection = connectionTo(Connection, broker, thrown);
    connections.push(connection);
    return connection;
  };

  beforeAll(() => {
    fixConnection(FixedConnection);
  });
  afterEach(async () => {
    await Promise.allSettled(connections.splice(0).map((c) => c.disconnect()));
    await Promise.all(brokers.splice(0).map((b) => b.close()));
  });

  describe('without the fix (the fault it mends)', () => {
    it('should time out every request of a connection reconnected after a reset mid-response, while a new connection is answered', async () => {
      const broker = await fakeBroker([{ _tag: 'partialThenReset', claimedSize: 1000 }]);
      const Unfixed = unfixedConnection();
      const thrown: unknown[] = [];
      const reconnected = open(Unfixed, broker, thrown);
      await cutThenReconnect(reconnected);

      await expect(reconnected.send(apiVersionsV0())).rejects.toMatchObject({
        name: 'KafkaJSRequestTimeoutError',
      });
      await expect(reconnected.send(apiVersionsV0())).rejects.toMatchObject({
        name: 'KafkaJSRequestTimeoutError',
      });
      const fresh = open(Unfixed, broker, thrown);
      await fresh.connect();
      await expect(fresh.send(apiVersionsV0())).resolves.toMatchObject({
        apiVersions: FAKE_API_VERSIONS,
      });
      expect(broker.connections()).toBe(3);
    });

    it('should throw RangeError ERR_BUFFER_OUT_OF_BOUNDS out of the socket handler when the leftover frame ends inside the new response', async () => {
      const broker = await fakeBroker([{ _tag: 'partialThenReset', claimedSize: 14 }]);
      const thrown: unknown[] = [];
      const reconnected = open(unfixedConnection(), broker, thrown);
      await cutThenReconnect(reconnected);

      void reconnected.send(apiVersionsV0()).catch(() => undefined);
      await until(() => thrown.length > 0, 'the socket handler to throw');
      // Thrown by Buffer in Node's own realm, so compared by name rather than instanceof.
      expect(thrown[0]).toMatchObject({ name: 'RangeError', code: 'ERR_BUFFER_OUT_OF_BOUNDS' });
    });
  });

  describe('with the fix', () => {
    it('should answer on a connection reconnected after a reset mid-response (the timeout case)', async () => {
      const broker = await fakeBroker([{ _tag: 'partialThenReset', claimedSize: 1000 }]);
      const thrown: unknown[] = [];
      const reconnected = open(FixedConnection, broker, thrown);
      await cutThenReconnect(reconnected);

      await expect(reconnected.send(apiVersionsV0())).resolves.toMatchObject({
        errorCode: 0,
        apiVersions: FAKE_API_VERSIONS,
      });
      await expect(reconnected.send(apiVersionsV0())).resolves.toMatchObject({ errorCode: 0 });
      expect(thrown).toEqual([]);
      expect(broker.connections()).toBe(2);
    });

    it('should answer on a connection reconnected after a reset mid-response (the RangeError case)', async () => {
      const broker = await fakeBroker([{ _tag: 'partialThenReset', claimedSize: 14 }]);
      const thrown: unknown[] = [];
      const reconnected = open(FixedConnection, broker, thrown);
      await cutThenReconnect(reconnected);

      await expect(reconnected.send(apiVersionsV0())).resolves.toMatchObject({
        apiVersions: FAKE_API_VERSIONS,
      });
      expect(thrown).toEqual([]);
    });

    it('should fail the request with a retriable connection error instead of throwing when a response cannot be parsed, and reconnect', async () => {
      const broker = await fakeBroker([{ _tag: 'garbageFrame' }]);
      const thrown: unknown[] = [];
      const connection = open(FixedConnection, broker, thrown);
      await connection.connect();

      const failure = connection.send(apiVersionsV0());
      await expect(failure).rejects.toMatchObject({
        name: 'KafkaJSConnectionError',
        retriable: true,
      });
      await expect(failure).rejects.toThrow(/unreadable response from 127\.0\.0\.1:\d+/);
      expect(thrown).toEqual([]);
      await until(() => !connection.isConnected(), 'the connection to disconnect');
      await connection.connect();
      await expect(connection.send(apiVersionsV0())).resolves.toMatchObject({ errorCode: 0 });
    });

    it('should open one socket for concurrent connects of a disconnected connection', async () => {
      const broker = await fakeBroker([]);
      const connection = open(FixedConnection, broker, []);
      await Promise.all([connection.connect(), connection.connect(), connection.connect()]);
      await expect(connection.send(apiVersionsV0())).resolves.toMatchObject({ errorCode: 0 });
      expect(broker.connections()).toBe(1);
    });

    it('should apply once: a second call changes nothing and says so', () => {
      const { connect, processData } = FixedConnection.prototype;
      expect(fixConnection(FixedConnection)).toBe(false);
      expect(FixedConnection.prototype.connect).toBe(connect);
      expect(FixedConnection.prototype.processData).toBe(processData);
      expect(fixConnection(unfixedConnection())).toBe(true);
    });
  });
});
