import {
  isRebalanceError,
  isRebalanceInProgress,
} from '../../../lib/kafka/kafkajs/is-rebalance-error';

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

describe('isRebalanceInProgress', () => {
  it('should be true for REBALANCE_IN_PROGRESS, also in the cause chain', () => {
    expect(isRebalanceInProgress(protocolError('REBALANCE_IN_PROGRESS'))).toBe(true);
    expect(
      isRebalanceInProgress(
        new Error('wrapped', { cause: protocolError('REBALANCE_IN_PROGRESS') }),
      ),
    ).toBe(true);
  });

  it('should be false when the generation is already gone or for other errors', () => {
    expect(isRebalanceInProgress(protocolError('ILLEGAL_GENERATION'))).toBe(false);
    expect(isRebalanceInProgress(protocolError('UNKNOWN_MEMBER_ID'))).toBe(false);
    expect(isRebalanceInProgress(new Error('boom'))).toBe(false);
    expect(isRebalanceInProgress(undefined)).toBe(false);
  });
});
