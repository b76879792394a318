/** What a reconcile pass asks for next: nothing (done until the object changes) or another pass later. */
export interface ReconcileResult {
  readonly requeueAfterMs?: number;
}

/** Brings one object (by cache key) to its desired state. Errors are retried with backoff. */
export interface Reconciler {
  readonly name: string;
  reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult | void>;
}
