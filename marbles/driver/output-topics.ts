import { TopologyTestError } from './topology-test-error';

/**
 * The topics a test reads and the topics its topology writes, to tell a wrong topic from an
 * empty one: an expected empty output on a topic the topology never writes would pass, and
 * prove nothing. A topic is written when a sink writes it by name (the topology's
 * `sinkTopics`), when the test's `outputTopics` option names it (a dead-letter topic, a
 * topic a sink's function picks), or when some record was sent to it during the test.
 *
 * @example
 * const topics = new OutputTopics(['upper']);
 * topics.readBy('upr', "expectOutput('upr')");
 * topics.check(); // throws: expectOutput('upr'): the topology wrote nothing to topic upr, ...
 */
export class OutputTopics {
  private readonly sent = new Set<string>();
  private readonly read = new Map<string, string>();

  constructor(private readonly declared: readonly string[]) {}

  /** A record was sent to `topic` (written or refused). */
  sentTo(topic: string): void {
    this.sent.add(topic);
  }

  /** The test reads `topic`; `by` says where, for the message. */
  readBy(topic: string, by: string): void {
    if (!this.read.has(topic)) this.read.set(topic, by);
  }

  /** Throws a TopologyTestError naming every topic read that the topology does not write. */
  check(): void {
    const written = new Set([...this.declared, ...this.sent]);
    const wrong = [...this.read].filter(([topic]) => !written.has(topic));
    if (wrong.length === 0) return;
    const readers = wrong.map(([, by]) => by).join(', ');
    const names = wrong.map(([topic]) => topic).join(', ');
    const [topics, them] = wrong.length === 1 ? ['topic', 'it'] : ['topics', 'them'];
    throw new TopologyTestError(
      `${readers}: the topology wrote nothing to ${topics} ${names}, and none of its sinks ` +
        `writes ${them} (it writes: ${[...written].join(', ') || 'nothing'}). Check the name; ` +
        'a topic the topology may write but did not in this test (a dead-letter topic, a ' +
        "topic a sink's function picks) goes in the outputTopics option",
    );
  }
}
