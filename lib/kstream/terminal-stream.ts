/**
 * What a `pipe` ending in a terminal (`to`, `forEach`) returns: the name of the terminal
 * node, and no `pipe`: nothing can follow a terminal.
 *
 * @example
 * const end: TerminalStream = builder.stream('orders').pipe(to('orders-copy')); // bytes
 * end.nodeName; // 'SINK-0000000002'
 */
export class TerminalStream {
  /** @internal Made by `KStream.pipe`. */
  constructor(readonly nodeName: string) {}
}
