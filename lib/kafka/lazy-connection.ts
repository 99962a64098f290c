/**
 * A client connected on first use and shared by every call after it. A failed connect is not
 * kept: the next call tries again. `close()` disconnects what was connected (a failure to
 * disconnect is swallowed: the client is being let go) and the next call connects afresh.
 * The adapters' admins and side clients (lag, internal topics) are made this way.
 *
 * @example
 * const admin = new LazyConnection(async () => { const a = kafka.admin(); await a.connect(); return a; }, (a) => a.disconnect());
 * const topics = await (await admin.get()).listTopics();
 * await admin.close();
 */
export class LazyConnection<T> {
  private current: Promise<T> | undefined;

  constructor(
    private readonly connect: () => Promise<T>,
    private readonly disconnect: (client: T) => Promise<void>,
  ) {}

  /** The connected client: the one being connected or connected already, else a new one. */
  get(): Promise<T> {
    if (this.current === undefined) {
      const connecting = this.connect();
      this.current = connecting;
      connecting.catch(() => {
        if (this.current === connecting) this.current = undefined;
      });
    }
    return this.current;
  }

  /** Disconnects the client, if one was connected (or is connecting). */
  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.then((client) => this.disconnect(client)).catch(() => undefined);
  }
}
