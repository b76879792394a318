import type { Logger } from '@karpenter-ts/kube';
import type { Reconciler } from './reconciler.js';

export interface ReconcileLoopOptions {
  readonly concurrency?: number;
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly logger: Logger;
  /** Observes each pass (metrics). */
  readonly onResult?: (reconciler: string, outcome: 'success' | 'error' | 'requeue', seconds: number) => void;
}

/**
 * Runs a Reconciler over a queue of keys, controller-runtime style: a key is never processed by
 * two workers at once, a key added while it is processed runs once more afterwards, failures
 * back off exponentially per key, and `requeueAfterMs` schedules the next pass.
 */
export class ReconcileLoop {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private active = 0;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly reconciler: Reconciler,
    private readonly options: ReconcileLoopOptions,
  ) {}

  get name(): string {
    return this.reconciler.name;
  }

  enqueue(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Enqueues after a delay; an earlier pending delay for the key wins. */
  enqueueAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) return this.enqueue(key);
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.enqueue(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Resolves when no key is queued or being processed (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    this.queued.clear();
    await this.whenIdle();
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 10;
    while (!this.stopped && this.active < concurrency && this.queue.length) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.processing.add(key);
      this.active++;
      void this.process(key);
    }
  }

  private async process(key: string): Promise<void> {
    const started = performance.now();
    try {
      const result = await this.reconciler.reconcile(key, this.abort.signal);
      this.failures.delete(key);
      const seconds = (performance.now() - started) / 1000;
      if (result?.requeueAfterMs !== undefined) {
        this.options.onResult?.(this.name, 'requeue', seconds);
        this.enqueueAfter(key, result.requeueAfterMs);
      } else {
        this.options.onResult?.(this.name, 'success', seconds);
      }
    } catch (err) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      const delay = Math.min(this.options.maxBackoffMs ?? 300_000, (this.options.baseBackoffMs ?? 100) * 2 ** Math.min(failures - 1, 20));
      this.options.onResult?.(this.name, 'error', (performance.now() - started) / 1000);
      if (!this.stopped) this.options.logger.error({ controller: this.name, key, err: errorText(err), retryInMs: delay }, 'reconcile failed');
      this.enqueueAfter(key, delay);
    } finally {
      this.processing.delete(key);
      this.active--;
      if (this.dirty.delete(key)) this.enqueue(key);
      this.pump();
      if (this.active === 0 && this.queue.length === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
