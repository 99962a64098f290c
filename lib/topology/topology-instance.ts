import { defer, EMPTY, type Observable } from 'rxjs';
import { ProcessingError } from '../errors/processing-error';
import { closeQuietly } from './close-processor';
import type { Logger } from '../logger/logger';
import type { RawRecord } from '../record/stream-record';
import { compileNode, type OpenProcessor, type Push } from './compile-node';
import { pushWithSignal } from './push-with-signal';
import type { GraphNode } from './graph-node';
import type { Pushed, RecordSink, TaskInfo, TopologyTask } from './topology-task';

/**
 * One task's instance of a topology (see {@link TopologyTask}): its processors are made
 * and initialised here; a supplier or `init` that throws closes those already made and
 * throws a ProcessingError naming the node. Internal: `Topology.createTask` makes it.
 *
 * @example
 * const task = new TopologyInstance(roots, info, logger);
 * task.process(raw, sink).subscribe({ complete: () => commit(raw) });
 */
export class TopologyInstance implements TopologyTask {
  private readonly sources = new Map<string, Push>();
  private readonly opened: OpenProcessor[] = [];
  private closing: Promise<void> | undefined;

  constructor(
    sources: readonly GraphNode[],
    private readonly info: TaskInfo,
    private readonly logger: Logger,
  ) {
    try {
      for (const source of sources) {
        const push = compileNode(source, { task: info, logger, opened: this.opened });
        if (source._tag === 'Source')
          source.topics.forEach((topic) => this.sources.set(topic, push));
      }
    } catch (error) {
      this.opened.forEach(({ nodeName, processor }) => closeQuietly(processor, logger, nodeName));
      throw error;
    }
  }

  push(raw: RawRecord, sink: RecordSink): Pushed {
    return this.sourceFor(raw)(raw, sink);
  }

  /**
   * `push` as an Observable (for tests and scripts that want one): completes when the record
   * is through, errors where `push` would throw or error. A sink without a `signal` gets one
   * that aborts if the Observable is unsubscribed before the record is through.
   */
  process(raw: RawRecord, sink: Pick<RecordSink, 'send'> & Partial<RecordSink>): Observable<never> {
    if (sink.signal !== undefined) return defer(() => this.push(raw, sink as RecordSink) ?? EMPTY);
    return pushWithSignal(
      (withSignal) => this.push(raw, withSignal),
      (record, nodeName) => sink.send(record, nodeName),
    );
  }

  private sourceFor(raw: RawRecord): Push {
    if (this.closing !== undefined) {
      throw new Error(`task ${this.info.id} is closed; it processes no more records`);
    }
    const push = this.sources.get(raw.topic);
    if (push === undefined) {
      const topics = [...this.sources.keys()].join(', ');
      throw new Error(`no source node reads topic ${raw.topic} (this topology reads: ${topics})`);
    }
    return push;
  }

  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  /** Closes every processor, even after one fails; then rejects with the first failure. */
  private async closeAll(): Promise<void> {
    const failures: ProcessingError[] = [];
    for (const { nodeName, processor } of this.opened) {
      try {
        await processor.close?.();
      } catch (cause) {
        this.logger.error('processor close failed', { nodeName, task: this.info.id, error: cause });
        failures.push(new ProcessingError({ nodeName, cause }));
      }
    }
    if (failures[0] !== undefined) throw failures[0];
  }
}
