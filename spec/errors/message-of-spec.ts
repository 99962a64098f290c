import { messageOf } from '../../lib/errors/message-of';
import { ProcessingError } from '../../lib/errors/processing-error';
import { ProductionError } from '../../lib/errors/production-error';

describe('messageOf', () => {
  it("should give an Error's message", () => {
    expect(messageOf(new SyntaxError('Unexpected end of JSON input'))).toBe(
      'Unexpected end of JSON input',
    );
  });

  it('should give anything else as a string', () => {
    expect(messageOf('timed out')).toBe('timed out');
    expect(messageOf(42)).toBe('42');
    expect(messageOf(undefined)).toBe('undefined');
  });

  it('should be the reason the phase errors quote', () => {
    expect(new ProcessingError({ nodeName: 'MAP-0000000002', cause: 'bad' }).message).toBe(
      'node MAP-0000000002 failed: bad',
    );
    expect(new ProductionError({ topic: 'out', cause: new Error('no leader') }).message).toBe(
      'producing to out failed: no leader',
    );
  });
});
