import { sleep } from '@karpenter-ts/kube';

/**
 * Groups triggers into batches: a batch closes after `idleMs` without a new trigger, or
 * `maxMs` after it opened, whichever comes first (BATCH_IDLE_DURATION / BATCH_MAX_DURATION).
 */
export class Batcher {
  private opened = 0;
  private lastTrigger = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly idleMs: number,
    private readonly maxMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  trigger(): void {
    const now = this.now();
    if (!this.opened) this.opened = now;
    this.lastTrigger = now;
    this.wake?.();
  }

  /** Resolves when a batch has closed (true) or the signal aborted (false). */
  async wait(signal: AbortSignal): Promise<boolean> {
    while (!this.opened) {
      if (signal.aborted) return false;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          this.wake = undefined;
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    for (;;) {
      if (signal.aborted) return false;
      const now = this.now();
      const remaining = Math.min(this.lastTrigger + this.idleMs - now, this.opened + this.maxMs - now);
      if (remaining <= 0) break;
      await sleep(remaining, signal);
    }
    this.opened = 0;
    return true;
  }
}
