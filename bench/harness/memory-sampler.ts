const MB = 1024 * 1024;

/** Peak memory seen while a sampler ran, in MiB. */
export interface MemoryPeaks {
  /** heapUsed when sampling started (after a GC, when the caller collected first). */
  readonly heapBaseMB: number;
  readonly heapPeakMB: number;
  readonly rssBaseMB: number;
  readonly rssPeakMB: number;
  /** Buffers and other off-heap memory at the peak of heapUsed + external. */
  readonly externalPeakMB: number;
}

/**
 * Samples `process.memoryUsage()` on a timer and keeps the peaks. A timer only fires when
 * the event loop turns, so a peak inside one long synchronous stretch can be missed; every
 * contender here yields often (acknowledgements are macrotasks).
 *
 * @example
 * const sampler = new MemorySampler(25);
 * await work();
 * const peaks = sampler.stop();
 */
export class MemorySampler {
  private readonly timer: NodeJS.Timeout;
  private readonly heapBase: number;
  private readonly rssBase: number;
  private heapPeak: number;
  private rssPeak: number;
  private externalPeak: number;

  constructor(intervalMs = 25) {
    const now = process.memoryUsage();
    this.heapBase = this.heapPeak = now.heapUsed;
    this.rssBase = this.rssPeak = now.rss;
    this.externalPeak = now.external;
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const now = process.memoryUsage();
    if (now.heapUsed > this.heapPeak) this.heapPeak = now.heapUsed;
    if (now.rss > this.rssPeak) this.rssPeak = now.rss;
    if (now.external > this.externalPeak) this.externalPeak = now.external;
  }

  stop(): MemoryPeaks {
    clearInterval(this.timer);
    this.sample();
    return {
      heapBaseMB: this.heapBase / MB,
      heapPeakMB: this.heapPeak / MB,
      rssBaseMB: this.rssBase / MB,
      rssPeakMB: this.rssPeak / MB,
      externalPeakMB: this.externalPeak / MB,
    };
  }
}
