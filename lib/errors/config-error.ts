/** An option was given a value it cannot take; the message names the option. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`invalid option ${option}: ${problem}`);
  }
}
