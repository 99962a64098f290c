import { defer, EMPTY, Observable } from 'rxjs';
import type { Pushed, RecordSink } from './topology-task';

/** A sink of one record outside a runner: its signal is made when first asked for. */
class OwnSignalSink implements RecordSink {
  private controller: AbortController | undefined;

  constructor(readonly send: RecordSink['send']) {}

  get signal(): AbortSignal {
    return (this.controller ??= new AbortController()).signal;
  }

  abandon(): void {
    this.controller?.abort(
      new DOMException('unsubscribed before the record was through', 'AbortError'),
    );
  }
}

/**
 * One record's push outside a runner (a standalone operator, `task.process`), as an
 * Observable: its sink hands outputs to `send`, and its signal aborts if the subscription
 * ends before the record is through (completed or failed).
 *
 * @example
 * pushWithSignal((sink) => task.push(raw, sink), (record) => written.push(record));
 */
export const pushWithSignal = (
  push: (sink: RecordSink) => Pushed,
  send: RecordSink['send'],
): Observable<never> =>
  new Observable<never>((subscriber) => {
    const sink = new OwnSignalSink(send);
    let through = false;
    const running = defer(() => push(sink) ?? EMPTY).subscribe({
      error: (error: unknown) => {
        through = true;
        subscriber.error(error);
      },
      complete: () => {
        through = true;
        subscriber.complete();
      },
    });
    return () => {
      running.unsubscribe();
      if (!through) sink.abandon();
    };
  });
