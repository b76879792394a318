import { silentLogger } from '@karpenter-ts/kube';
import { describe, expect, it } from 'vitest';
import { ReconcileLoop } from './reconcile-loop.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('ReconcileLoop', () => {
  it('never runs one key twice at once, and re-runs a key changed while it ran', async () => {
    const running = new Set<string>();
    const runs: string[] = [];
    let overlap = false;
    const loop = new ReconcileLoop(
      {
        name: 't',
        async reconcile(key) {
          if (running.has(key)) overlap = true;
          running.add(key);
          runs.push(key);
          await tick(20);
          running.delete(key);
        },
      },
      { logger: silentLogger, concurrency: 4 },
    );
    loop.enqueue('a');
    await tick();
    loop.enqueue('a'); // while a runs
    loop.enqueue('a'); // folded into the same re-run
    loop.enqueue('b');
    await tick(100);
    await loop.whenIdle();
    expect(overlap).toBe(false);
    expect(runs.filter((k) => k === 'a')).toHaveLength(2);
    expect(runs.filter((k) => k === 'b')).toHaveLength(1);
  });

  it('retries failures with growing backoff and honours requeueAfter', async () => {
    const times: number[] = [];
    let calls = 0;
    const loop = new ReconcileLoop(
      {
        name: 't',
        async reconcile() {
          times.push(Date.now());
          calls++;
          if (calls <= 3) throw new Error('boom');
          if (calls === 4) return { requeueAfterMs: 30 };
        },
      },
      { logger: silentLogger, baseBackoffMs: 10 },
    );
    loop.enqueue('x');
    await tick(250);
    expect(calls).toBe(5);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(9);
    expect(gaps[1]).toBeGreaterThanOrEqual(19);
    expect(gaps[2]).toBeGreaterThanOrEqual(39);
    expect(gaps[3]).toBeGreaterThanOrEqual(29);
    await loop.stop();
  });
});
