import { createServer, type Server, type Socket } from 'node:net';
import { Broker } from '@kafkats/client';
import {
  applyKafkatsReconnectFix,
  KAFKATS_FIXES_ENV,
} from '../../../lib/kafka/kafkats/kafkats-reconnect-fix';

interface Connection {
  readonly isConnected: boolean;
  connect(): Promise<void>;
  close(): Promise<void>;
  send(
    apiKey: number,
    version: number,
    encode: (e: unknown) => void,
    timeoutMs?: number,
  ): Promise<unknown>;
}

/** A TCP server that counts connections and the bytes each one receives. */
const fakeBroker = async () => {
  const sockets: Socket[] = [];
  const received: number[] = [];
  const server: Server = createServer((socket) => {
    const index = sockets.push(socket) - 1;
    received[index] = 0;
    socket.on('data', (chunk) => (received[index] = (received[index] ?? 0) + chunk.length));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    sockets,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};

const connectionTo = (port: number): Connection =>
  (
    new Broker({ host: '127.0.0.1', port, nodeId: 1, clientId: 'spec' }) as unknown as {
      connection: Connection;
    }
  ).connection;

const until = async (check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('applyKafkatsReconnectFix', () => {
  beforeAll(() => {
    applyKafkatsReconnectFix();
  });

  it('should apply once per process, and not at all when switched off', () => {
    expect(applyKafkatsReconnectFix()).toBe(false);
    expect(applyKafkatsReconnectFix({ [KAFKATS_FIXES_ENV]: 'off' })).toBe(false);
  });

  it('should reconnect a connection the peer dropped when it is next used', async () => {
    const broker = await fakeBroker();
    const connection = connectionTo(broker.port);
    try {
      await connection.connect();
      await until(() => broker.sockets.length === 1);
      broker.sockets[0]!.destroy(); // the network drops it
      await until(() => !connection.isConnected);
      // Unfixed, this throws "Cannot send on disconnected connection" for ever after.
      const request = connection.send(18, 0, () => undefined, 200).catch((e: unknown) => e);
      await until(() => broker.sockets.length === 2);
      await until(() => (broker.received[1] ?? 0) > 0);
      expect(connection.isConnected).toBe(true);
      // The fake broker never answers: the request times out, on the new connection.
      expect(String(await request)).toMatch(/timeout|timed out/i);
    } finally {
      await connection.close();
      await broker.close();
    }
  });

  it('should leave a connection closed on purpose closed', async () => {
    const broker = await fakeBroker();
    const connection = connectionTo(broker.port);
    try {
      await connection.connect();
      await connection.close();
      await expect(connection.send(18, 0, () => undefined, 200)).rejects.toThrow(
        /disconnected connection/,
      );
      expect(broker.sockets).toHaveLength(1);
    } finally {
      await broker.close();
    }
  });

  it('should space out reconnects while the broker refuses them', async () => {
    const broker = await fakeBroker();
    const { port } = broker;
    const connection = connectionTo(port);
    await connection.connect();
    await broker.close(); // nothing listens there any more
    await until(() => !connection.isConnected);
    const startedAt = Date.now();
    const failures: unknown[] = [];
    for (let i = 0; i < 4; i += 1) {
      failures.push(await connection.send(18, 0, () => undefined, 200).catch((e: unknown) => e));
    }
    // 0 + 100 + 200 + 400 ms of waiting between the four attempts, not a busy loop.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(650);
    expect(failures.every((e) => /ECONNREFUSED/.test(String(e)))).toBe(true);
  });
});
