import { createServer, connect, type Server, type Socket } from 'node:net';

/** One proxied connection: the client's socket, the target's, and whether it is being torn. */
interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  tearing: boolean;
}

/** How long a cut waits for a connection's next response to tear it in the middle. */
const TEAR_WAIT_MS = 300;
/** How long the client gets to read the torn half before the reset. */
const TEAR_READ_MS = 50;

/**
 * A TCP proxy on 127.0.0.1 that forwards every connection to one target, and can cut the
 * network: new connections are refused until it heals, and every open connection is reset on
 * both sides. A connection that carries a response within 300 ms of the cut is torn in the
 * middle of it (the client reads half of it, then the reset): the fault that leaves a partial
 * frame behind. The others are reset as they are.
 *
 * @example
 * const proxy = await TcpProxy.start(19095, { host: '127.0.0.1', port: 19094 });
 * await proxy.cut(); await sleep(10_000); await proxy.heal();
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<Pair>();
  private accepted = 0;
  private resets = 0;
  private torn = 0;

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

  /** Connections accepted, reset by cuts, and torn mid-response among those, so far. */
  counts(): {
    readonly accepted: number;
    readonly reset: number;
    readonly torn: number;
    readonly open: number;
  } {
    return { accepted: this.accepted, reset: this.resets, torn: this.torn, open: this.pairs.size };
  }

  get isCut(): boolean {
    return this.server === undefined;
  }

  /** Resets every open connection and refuses new ones until {@link heal}. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server === undefined ? Promise.resolve() : closeServer(server);
    for (const pair of this.pairs) pair.tearing = true;
    await new Promise((resolve) => setTimeout(resolve, TEAR_WAIT_MS + TEAR_READ_MS));
    for (const pair of this.pairs) this.reset(pair);
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

  private reset(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    for (const socket of [pair.client, pair.upstream]) {
      if (!socket.destroyed) socket.resetAndDestroy();
    }
    this.resets += 1;
  }

  private forward(client: Socket): void {
    this.accepted += 1;
    const upstream = connect(this.target.port, this.target.host);
    const pair: Pair = { client, upstream, tearing: false };
    this.pairs.add(pair);
    const end = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream);
    upstream.on('end', () => client.end());
    upstream.on('data', (chunk: Buffer) => {
      if (pair.tearing) {
        pair.tearing = false;
        upstream.pause();
        this.torn += 1;
        client.write(chunk.subarray(0, Math.max(1, chunk.length >> 1)));
        setTimeout(() => this.reset(pair), TEAR_READ_MS);
      } else if (!client.write(chunk)) {
        upstream.pause();
        client.once('drain', () => upstream.resume());
      }
    });
  }
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));
