import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that forwards every connection to one target, and can cut the
 * network: every open connection is reset on both sides (mid-stream, as a failing link does)
 * and new connections are refused until it heals.
 *
 * @example
 * const proxy = await TcpProxy.start(49095, { host: '127.0.0.1', port: 49094 });
 * await proxy.cut(); await sleep(10_000); await proxy.heal();
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<[Socket, Socket]>();
  private accepted = 0;
  private resets = 0;

  private constructor(
    readonly port: number,
    private readonly target: { readonly host: string; readonly port: number },
  ) {}

  static async start(
    port: number,
    target: { readonly host: string; readonly port: number },
  ): Promise<TcpProxy> {
    const proxy = new TcpProxy(port, target);
    await proxy.listen();
    return proxy;
  }

  /** Connections accepted, and connections reset by cuts, so far. */
  counts(): { readonly accepted: number; readonly reset: number; readonly open: number } {
    return { accepted: this.accepted, reset: this.resets, open: this.pairs.size };
  }

  get isCut(): boolean {
    return this.server === undefined;
  }

  /** Resets every open connection and refuses new ones until {@link heal}. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server === undefined ? Promise.resolve() : closeServer(server);
    for (const pair of this.pairs) {
      for (const socket of pair) if (!socket.destroyed) socket.resetAndDestroy();
      this.resets += 1;
    }
    this.pairs.clear();
    await closed;
  }

  /** Accepts connections again. */
  async heal(): Promise<void> {
    if (this.server === undefined) await this.listen();
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.forward(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  private forward(client: Socket): void {
    this.accepted += 1;
    const upstream = connect(this.target.port, this.target.host);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.setNoDelay(true);
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));
