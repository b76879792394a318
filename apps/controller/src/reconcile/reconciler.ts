/** What a reconcile pass asks for next: nothing (done until the object changes) or another pass later. */
export interface ReconcileResult {
  readonly requeueAfterMs?: number;
}

/** Brings one object (by cache key) to its desired state. Errors are retried with backoff. */
export interface Reconciler {
  readonly name: string;
  reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult | void>;
}

/** A Reconciler together with the cache subscriptions that decide which keys to reconcile. */
export interface Controller extends Reconciler {
  /** Subscribes to the caches, calling `enqueue` with keys to reconcile; returns the unsubscribers. */
  watch(enqueue: (key: string) => void): Array<() => void>;
}
