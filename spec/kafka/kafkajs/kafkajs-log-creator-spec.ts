import { logLevel } from 'kafkajs';
import { kafkajsLogCreator } from '../../../lib/kafka/kafkajs/kafkajs-log-creator';
import type { Logger } from '../../../lib/logger/logger';

describe('kafkajsLogCreator', () => {
  const recording = (): Logger & { lines: [string, string, unknown][] } => {
    const lines: [string, string, unknown][] = [];
    const at = (level: string) => (message: string, fields?: unknown) =>
      lines.push([level, message, fields]);
    return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  };

  it('should write each kafkajs level to the matching logger level with namespace and fields', () => {
    const logger = recording();
    const log = kafkajsLogCreator(logger)(logLevel.INFO);
    const entry = (level: logLevel, message: string) => ({
      namespace: 'Consumer',
      level,
      label: 'X',
      log: { timestamp: 'now', message, groupId: 'g' },
    });
    log(entry(logLevel.ERROR, 'e'));
    log(entry(logLevel.WARN, 'w'));
    log(entry(logLevel.INFO, 'i'));
    log(entry(logLevel.DEBUG, 'd'));
    log(entry(logLevel.NOTHING, 'n'));
    expect(logger.lines).toEqual([
      ['error', 'e', { namespace: 'Consumer', groupId: 'g' }],
      ['warn', 'w', { namespace: 'Consumer', groupId: 'g' }],
      ['info', 'i', { namespace: 'Consumer', groupId: 'g' }],
      ['debug', 'd', { namespace: 'Consumer', groupId: 'g' }],
    ]);
  });
});
