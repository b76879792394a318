import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

describe('Batcher', () => {
  it('closes a batch after the idle window', async () => {
    const batcher = new Batcher(50, 1000);
    const started = Date.now();
    batcher.trigger();
    setTimeout(() => batcher.trigger(), 30);
    expect(await batcher.wait(new AbortController().signal)).toBe(true);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(75); // 30 ms + a fresh 50 ms idle window
    expect(took).toBeLessThan(300);
  });

  it('closes at the max window even while triggers keep coming', async () => {
    const batcher = new Batcher(50, 200);
    const started = Date.now();
    batcher.trigger();
    const timer = setInterval(() => batcher.trigger(), 20);
    await batcher.wait(new AbortController().signal);
    clearInterval(timer);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(195);
    expect(took).toBeLessThan(400);
  });

  it('waits for the first trigger and stops on abort', async () => {
    const batcher = new Batcher(10, 100);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 30);
    expect(await batcher.wait(abort.signal)).toBe(false);
  });
});
