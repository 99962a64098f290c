import { LazyConnection } from '../../lib/kafka/lazy-connection';

/** A fake client: counts connects and disconnects; connects fail while `failing` is set. */
const fakeClients = () => {
  const made: { id: number; disconnected: boolean }[] = [];
  let failing = false;
  const connection = new LazyConnection(
    async () => {
      if (failing) throw new Error('broker down');
      const client = { id: made.length + 1, disconnected: false };
      made.push(client);
      return client;
    },
    async (client) => {
      client.disconnected = true;
    },
  );
  return { connection, made, fail: (on: boolean) => (failing = on) };
};

describe('LazyConnection', () => {
  it('should connect once on first use and share the client between calls, even concurrent ones', async () => {
    const { connection, made } = fakeClients();
    expect(made).toHaveLength(0);
    const [a, b] = await Promise.all([connection.get(), connection.get()]);
    expect(a).toBe(b);
    expect(await connection.get()).toBe(a);
    expect(made).toHaveLength(1);
  });

  it('should not keep a failed connect: the next call tries again', async () => {
    const { connection, made, fail } = fakeClients();
    fail(true);
    await expect(connection.get()).rejects.toThrow('broker down');
    fail(false);
    expect((await connection.get()).id).toBe(1);
    expect(made).toHaveLength(1);
  });

  it('should disconnect on close, and connect afresh when used after it', async () => {
    const { connection, made } = fakeClients();
    await connection.close(); // nothing connected: nothing to do
    const first = await connection.get();
    await connection.close();
    expect(first.disconnected).toBe(true);
    const second = await connection.get();
    expect(second).not.toBe(first);
    expect(made).toHaveLength(2);
  });
});
