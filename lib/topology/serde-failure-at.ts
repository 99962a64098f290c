import { SerdeError } from '../errors/serde-error';
import { messageOf } from '../errors/message-of';

/**
 * Where a serde runs: for which topic, on which input record, in which node, which part.
 *
 * @example
 * const site: SerdeSite = {
 *   serdeTopic: 'out', record: input, nodeName: 'SINK-0000000003', target: 'value', direction: 'serialize',
 * };
 */
export interface SerdeSite {
  /** The topic handed to the serde: the source topic, or the sink's output topic. */
  readonly serdeTopic: string;
  /** The input record being processed: the error is located at it. */
  readonly record: { readonly topic: string; readonly partition: number; readonly offset: string };
  readonly nodeName: string | undefined;
  readonly target: 'key' | 'value';
  readonly direction: 'serialize' | 'deserialize';
}

const asSerdeError = (error: unknown, site: SerdeSite): SerdeError => {
  if (!(error instanceof SerdeError)) {
    return new SerdeError(
      `cannot ${site.direction} the ${site.target} for topic ${site.serdeTopic}: ${messageOf(error)}`,
      { topic: site.record.topic, target: site.target, cause: error },
    );
  }
  if (error.topic === site.record.topic) return error;
  // A sink's serde names the output topic; the error's fields locate the input record.
  return new SerdeError(error.message, {
    topic: site.record.topic,
    nodeName: error.nodeName,
    target: error.target,
    cause: error.cause,
  });
};

/**
 * A serde's failure as a SerdeError located at the input record (its topic, partition and
 * offset), naming the node and whether the key or the value failed; a failure that is not
 * a SerdeError becomes the `cause` of one. Internal.
 *
 * @example
 * try { bytes = serde.serialize(topic, value); } catch (error) { throw serdeFailureAt(error, site); }
 */
export const serdeFailureAt = (error: unknown, site: SerdeSite): SerdeError =>
  asSerdeError(error, site).at({
    partition: site.record.partition,
    offset: site.record.offset,
    nodeName: site.nodeName,
    target: site.target,
  });
