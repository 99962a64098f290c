import type { Offset } from '../kafka/offset';

/** Where a record came from: the part of an error that lets you find it again. */
export interface RecordLocation {
  readonly topic: string;
  readonly partition: number;
  readonly offset: Offset;
  /** The node the failure happened in, when the message does not name it already. */
  readonly nodeName?: string | undefined;
}

/**
 * A record's location as error messages write it.
 *
 * @example
 * describeLocation({ topic: 'orders', partition: 2, offset: '7' });
 * // 'topic orders, partition 2, offset 7'
 */
export const describeLocation = ({ topic, partition, offset, nodeName }: RecordLocation): string =>
  `topic ${topic}, partition ${partition}, offset ${offset}${nodeName ? `, node ${nodeName}` : ''}`;
