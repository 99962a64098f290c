/**
 * Number formatting shared by the console tables and the markdown report.
 *
 * @example
 * fmt.rate(123456.7); // '123,457/s'
 */
export const fmt = {
  int: (n: number): string => Math.round(n).toLocaleString('en-US'),
  rate: (n: number): string => `${Math.round(n).toLocaleString('en-US')}/s`,
  ratio: (n: number): string => `${n.toFixed(2)}×`,
  mb: (n: number): string => `${n.toFixed(0)} MiB`,
  ms: (n: number): string => (n < 10 ? `${n.toFixed(2)} ms` : `${n.toFixed(1)} ms`),
  s: (ms: number): string => `${(ms / 1000).toFixed(2)} s`,
} as const;
