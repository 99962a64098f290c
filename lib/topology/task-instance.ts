import { Observable, throwError } from 'rxjs';
import { ProcessingError } from '../errors/processing-error';
import { closeQuietly } from './close-processor';
import type { Logger } from '../logger/logger';
import type { RawRecord } from '../record/stream-record';
import { compileNode, type OpenProcessor, type Push, type Pushed } from './compile-node';
import type { GraphNode } from './graph-node';
import type { RecordSink, TaskInfo, TopologyTask } from './topology-task';

/**
 * One task's instance of a topology (see {@link TopologyTask}): its processors are made
 * and initialised here; a supplier or `init` that throws closes those already made and
 * throws a ProcessingError naming the node. Internal: `Topology.createTask` makes it.
 *
 * @example
 * const task = new TaskInstance(roots, info, logger);
 * task.process(raw, sink).subscribe({ complete: () => commit(raw) });
 */
export class TaskInstance implements TopologyTask {
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

  process(raw: RawRecord, sink: RecordSink): Observable<never> {
    // Checked now, so a closed task or an unknown topic errors the Observable.
    let push: Push;
    try {
      push = this.sourceFor(raw);
    } catch (error) {
      return throwError(() => error);
    }
    // It completes at once when every callback returned a plain value, and follows the rest
    // of the pipeline otherwise.
    return new Observable<never>((subscriber) => {
      let later;
      try {
        later = push(raw, sink);
      } catch (error) {
        subscriber.error(error);
        return undefined;
      }
      if (later === undefined) {
        subscriber.complete();
        return undefined;
      }
      return later.subscribe(subscriber);
    });
  }

  /**
   * `process` without the Observable around it, for the runners: `undefined` when the record
   * went through every node now, else the Observable of the rest. Throws what `process`
   * would error with. Internal.
   */
  push(raw: RawRecord, sink: RecordSink): Pushed {
    return this.sourceFor(raw)(raw, sink);
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
