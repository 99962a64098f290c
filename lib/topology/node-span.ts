import { catchError, finalize, throwError } from 'rxjs';
import type { Push } from './compile-node';
import type { GraphNode } from './graph-node';

/**
 * The span of one node's work on one record, as a record sink may open it (telemetry with
 * node spans on): `run` makes it current while the node (and the nodes below it) run, `end`
 * closes it, with the error when the node failed.
 *
 * @example
 * const span = sink.nodeSpan?.('FILTER-0000000002', 'FILTER');
 */
export interface NodeSpan {
  run<T>(fn: () => T): T;
  end(error?: unknown): void;
}

/**
 * `push`, in a span of its own for each record whose sink opens one (`sink.nodeSpan`); a
 * sink that does not (telemetry off, or node spans not asked for) costs one property read.
 *
 * @example
 * const push = spanned(node, compileWith(node, children, env));
 */
export const spanned =
  (node: GraphNode, push: Push): Push =>
  (record, sink) => {
    const span = sink.nodeSpan?.(node.name, node.kind);
    if (span === undefined) return push(record, sink);
    let later;
    try {
      later = span.run(() => push(record, sink));
    } catch (error) {
      span.end(error);
      throw error;
    }
    if (later === undefined) {
      span.end();
      return undefined;
    }
    let failed = false;
    return later.pipe(
      catchError((error: unknown) => {
        failed = true;
        span.end(error);
        return throwError(() => error);
      }),
      finalize(() => {
        if (!failed) span.end();
      }),
    );
  };
