import { isRebalanceError } from '../../../lib/kafka/kafkajs/is-rebalance-error';

const protocolError = (type: string) => Object.assign(new Error(type), { type });

describe('isRebalanceError', () => {
  it.each([
    'REBALANCE_IN_PROGRESS',
    'ILLEGAL_GENERATION',
    'UNKNOWN_MEMBER_ID',
    'NOT_COORDINATOR_FOR_GROUP',
  ])('should be true for %s', (type) => {
    expect(isRebalanceError(protocolError(type))).toBe(true);
  });

  it('should find the type in the cause chain of a retry error', () => {
    const wrapped = new Error('retries exceeded', {
      cause: new Error('non retriable', { cause: protocolError('REBALANCE_IN_PROGRESS') }),
    });
    expect(isRebalanceError(wrapped)).toBe(true);
  });

  it('should be false for other errors and non-errors', () => {
    expect(isRebalanceError(protocolError('OFFSET_METADATA_TOO_LARGE'))).toBe(false);
    expect(isRebalanceError(new Error('boom'))).toBe(false);
    expect(isRebalanceError('REBALANCE_IN_PROGRESS')).toBe(false);
    expect(isRebalanceError(undefined)).toBe(false);
  });

  it('should stop on a cyclic cause chain', () => {
    const a: { type?: string; cause?: unknown } = {};
    a.cause = a;
    expect(isRebalanceError(a)).toBe(false);
  });
});
