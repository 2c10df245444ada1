import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.ts';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (chunk: string) => written.push(chunk) > 0 } };
}

describe('Progress', () => {
  it('redraws one line in place on a terminal, at most every 250 ms, and ends it', () => {
    let clock = 0;
    const { written, stream } = fakeStream(true);
    const progress = new Progress('record', 200_000, stream, () => clock);
    clock = 100;
    progress.tick(10_000);
    expect(written).toEqual([]);
    clock = 1000;
    progress.tick(50_000);
    expect(written).toEqual(['\rrecord: 50,000 of 200,000 events (25%), 50,000 events/s   ']);
    clock = 1100;
    progress.tick(60_000);
    expect(written.length).toBe(1);
    progress.done();
    expect(written.at(-1)).toBe('\n');
  });

  it('writes a plain line at most every 10 s to a file or pipe, and no line end when nothing was drawn', () => {
    let clock = 0;
    const { written, stream } = fakeStream(false);
    const progress = new Progress('backtest', 0, stream, () => clock);
    clock = 5_000;
    progress.tick(5_000);
    expect(written).toEqual([]);
    clock = 10_000;
    progress.tick(12_000);
    expect(written).toEqual(['backtest: 12,000 events, 1,200 events/s\n']);
    progress.done();
    expect(written.length).toBe(1);
  });
});
