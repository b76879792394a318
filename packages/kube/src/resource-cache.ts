import { isGone, KubeApiError } from './kube-client.js';
import { silentLogger, type Logger } from './logger.js';
import { sleep } from './sleep.js';
import type { ListOptions, ResourceClient, WatchEvent } from './resource-client.js';
import { keyOf, type KubeObject } from './resources.js';

export interface CacheHandler<T> {
  onAdd?(obj: T): void;
  onUpdate?(obj: T, old: T): void;
  onDelete?(obj: T): void;
}

export interface ResourceCacheOptions extends ListOptions {
  readonly logger?: Logger;
  /** Pause before re-watching after a failed watch (not after a normal server-side close). */
  readonly retryDelayMs?: number;
  /** Server-side watch timeout; the cache re-watches from its resourceVersion after it. */
  readonly watchTimeoutSeconds?: number;
}

/**
 * An in-memory copy of one resource kept current by list + watch.
 *
 * Bookkeeping: the watch starts at the list's resourceVersion and every event (bookmarks too)
 * advances it, so a re-watch after the server closes the stream misses nothing. When the
 * resourceVersion is too old (410 Gone, as an HTTP status or an ERROR event) the cache relists
 * and emits only the differences to its handlers: adds, updates whose resourceVersion changed,
 * and deletes of objects that vanished meanwhile — no event is missed or delivered twice.
 */
export class ResourceCache<T extends KubeObject> {
  private readonly objects = new Map<string, T>();
  private readonly handlers = new Set<CacheHandler<T>>();
  private readonly logger: Logger;
  private abort = new AbortController();
  private running: Promise<void> | undefined;
  private synced = false;
  private lastResourceVersion = '';

  constructor(
    readonly client: ResourceClient<T>,
    private readonly options: ResourceCacheOptions = {},
  ) {
    this.logger = (options.logger ?? silentLogger);
  }

  get kind(): string {
    return this.client.resource.kind;
  }

  get resourceVersion(): string {
    return this.lastResourceVersion;
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** Lists, then keeps watching in the background; resolves once the first list is in. */
  async start(): Promise<void> {
    if (this.running) return;
    this.abort = new AbortController();
    await this.relist();
    this.synced = true;
    this.running = this.watchLoop(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    this.running = undefined;
  }

  get(name: string, namespace?: string): T | undefined {
    return this.objects.get(namespace ? `${namespace}/${name}` : name);
  }

  list(filter?: (obj: T) => boolean): T[] {
    const all = [...this.objects.values()];
    return filter ? all.filter(filter) : all;
  }

  get size(): number {
    return this.objects.size;
  }

  /** Subscribes; existing objects are not replayed. Returns the unsubscribe function. */
  on(handler: CacheHandler<T>): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  private async watchLoop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.client.watch(this.lastResourceVersion, (event) => this.apply(event), signal, {
          ...this.options,
          timeoutSeconds: this.options.watchTimeoutSeconds,
        });
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        if (isGone(err)) {
          this.logger.info({ kind: this.kind, resourceVersion: this.lastResourceVersion }, 'watch expired, relisting');
          await this.relistWithRetry(signal);
          continue;
        }
        failures++;
        this.logger.warn({ kind: this.kind, err: String(err), failures }, 'watch failed, retrying');
        await sleep(Math.min(30_000, (this.options.retryDelayMs ?? 500) * 2 ** Math.min(failures - 1, 6)), signal);
      }
    }
  }

  private async relistWithRetry(signal: AbortSignal): Promise<void> {
    for (let failures = 0; !signal.aborted; failures++) {
      try {
        await this.relist();
        return;
      } catch (err) {
        this.logger.warn({ kind: this.kind, err: String(err) }, 'relist failed, retrying');
        await sleep(Math.min(30_000, (this.options.retryDelayMs ?? 500) * 2 ** Math.min(failures, 6)), signal);
      }
    }
  }

  private async relist(): Promise<void> {
    const list = await this.client.list(this.options);
    const seen = new Set<string>();
    const changes: Array<() => void> = [];
    for (const item of list.items) {
      slim(item);
      const key = keyOf(item);
      seen.add(key);
      const old = this.objects.get(key);
      this.objects.set(key, item);
      if (!old) changes.push(() => this.emit('onAdd', item));
      else if (old.metadata?.resourceVersion !== item.metadata?.resourceVersion) changes.push(() => this.emit('onUpdate', item, old));
    }
    for (const [key, old] of this.objects) {
      if (!seen.has(key)) {
        this.objects.delete(key);
        changes.push(() => this.emit('onDelete', old));
      }
    }
    this.lastResourceVersion = list.metadata?.resourceVersion ?? '';
    for (const change of changes) change();
  }

  private apply(event: WatchEvent<T>): void {
    const obj = event.object;
    if (event.type === 'ERROR') {
      const status = obj as { code?: number; reason?: string; message?: string };
      throw new KubeApiError('WATCH', this.kind, status.code ?? 500, status.reason ?? 'Error', status.message ?? 'watch error');
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.lastResourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    slim(obj);
    const key = keyOf(obj);
    const old = this.objects.get(key);
    if (event.type === 'DELETED') {
      if (!old) return;
      this.objects.delete(key);
      this.emit('onDelete', obj);
      return;
    }
    if (old && old.metadata?.resourceVersion === rv) return; // already seen (e.g. through a relist)
    this.objects.set(key, obj);
    if (old) this.emit('onUpdate', obj, old);
    else this.emit('onAdd', obj);
  }

  private emit(kind: 'onAdd' | 'onDelete', obj: T): void;
  private emit(kind: 'onUpdate', obj: T, old: T): void;
  private emit(kind: keyof CacheHandler<T>, obj: T, old?: T): void {
    for (const handler of this.handlers) {
      try {
        if (kind === 'onUpdate') handler.onUpdate?.(obj, old!);
        else handler[kind]?.(obj);
      } catch (err) {
        this.logger.error({ kind: this.kind, object: keyOf(obj), err: String(err) }, 'cache handler failed');
      }
    }
  }
}

/** managedFields are large and never read by the controller: drop them to keep the caches small. */
function slim(obj: KubeObject): void {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
}
