/**
 * A topic the topology reads does not exist on the cluster (and the cluster does not create
 * topics on demand). The message names the topics and the brokers.
 *
 * @example
 * // invalid: source topic "orders" does not exist at 127.0.0.1:9092: create it, ...
 */
export class UnknownTopicError extends Error {
  override readonly name = 'UnknownTopicError';

  constructor(
    /** The missing topics. */
    readonly topics: readonly string[],
    /** The bootstrap brokers of the cluster asked. */
    readonly brokers: readonly string[],
    cause: unknown,
  ) {
    const named = topics.map((t) => `"${t}"`).join(', ');
    const where = brokers.length === 0 ? 'on the cluster' : `at ${brokers.join(', ')}`;
    super(
      `source ${topics.length === 1 ? 'topic' : 'topics'} ${named} ${topics.length === 1 ? 'does' : 'do'} not exist ${where}: create ${topics.length === 1 ? 'it' : 'them'} (kafka-topics.sh --create --topic ...), or enable auto.create.topics.enable on the broker`,
      { cause },
    );
  }
}
