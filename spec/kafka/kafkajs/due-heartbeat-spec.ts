import { DueHeartbeat } from '../../../lib/kafka/kafkajs/due-heartbeat';

describe('DueHeartbeat', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const setup = () => {
    const due: (() => Promise<void>)[] = [];
    const clock = new DueHeartbeat(300, (heartbeat) => due.push(heartbeat));
    const heartbeat = async (): Promise<void> => undefined;
    return { due, clock, heartbeat };
  };

  it('should call onDue with the captured heartbeat once the interval has passed after a beat', async () => {
    const { due, clock, heartbeat } = setup();
    clock.capture(heartbeat);
    clock.beat();
    await jest.advanceTimersByTimeAsync(300);
    expect(due).toEqual([]);
    await jest.advanceTimersByTimeAsync(DueHeartbeat.SLACK_MS);
    expect(due).toEqual([heartbeat]);
  });

  it('should count from the latest beat', async () => {
    const { due, clock, heartbeat } = setup();
    clock.capture(heartbeat);
    clock.beat();
    await jest.advanceTimersByTimeAsync(200);
    clock.beat();
    await jest.advanceTimersByTimeAsync(200);
    expect(due).toEqual([]);
    await jest.advanceTimersByTimeAsync(200);
    expect(due).toHaveLength(1);
  });

  it('should fire once per beat', async () => {
    const { due, clock, heartbeat } = setup();
    clock.capture(heartbeat);
    clock.beat();
    await jest.advanceTimersByTimeAsync(2000);
    expect(due).toHaveLength(1);
  });

  it('should not arm before a heartbeat was captured, nor after stop', async () => {
    const { due, clock, heartbeat } = setup();
    clock.beat();
    await jest.advanceTimersByTimeAsync(1000);
    clock.capture(heartbeat);
    clock.beat();
    clock.stop();
    await jest.advanceTimersByTimeAsync(1000);
    clock.beat();
    await jest.advanceTimersByTimeAsync(1000);
    expect(due).toEqual([]);
  });
});
