import { sleep } from './sleep';

/** How a run ended: every output written, or the time cap reached first. */
export interface OutputsReached {
  readonly outputs: number;
  readonly capped: boolean;
}

/**
 * Waits until `count()` reaches `expected` or `capMs` passes, checking every `everyMs`;
 * throws what `failed()` returns as soon as it returns something.
 *
 * @example
 * const { capped } = await untilOutputs(() => recordCount(kafka, 'out'), 904_388, 90_000);
 */
export const untilOutputs = async (
  count: () => number | Promise<number>,
  expected: number,
  capMs: number,
  everyMs = 5,
  failed: () => unknown = () => undefined,
): Promise<OutputsReached> => {
  const deadline = performance.now() + capMs;
  for (;;) {
    const problem = failed();
    if (problem !== undefined) throw problem;
    const outputs = await count();
    if (outputs >= expected) return { outputs, capped: false };
    if (performance.now() >= deadline) return { outputs, capped: true };
    await sleep(everyMs);
  }
};

/**
 * Input records a capped run got through, estimated from its outputs: the filter keeps
 * `kept` of `count` orders, spread evenly over the input.
 *
 * @example
 * inputsDone({ outputs: 452_194, capped: true }, 1_000_000, 904_388); // 500_000
 */
export const inputsDone = (reached: OutputsReached, count: number, kept: number): number =>
  reached.capped ? Math.round((reached.outputs * count) / kept) : count;
