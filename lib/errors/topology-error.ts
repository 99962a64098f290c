/** `StreamsBuilder.build()` found a topology that cannot run; the message names the problem. */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';
}
