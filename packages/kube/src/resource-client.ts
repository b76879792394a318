import { isConflict, isNotFound, type KubeClient, type Query } from './kube-client.js';
import { sleep } from './sleep.js';
import { apiVersionOf, resourcePath, type KubeList, type KubeObject, type Resource } from './resources.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
export interface WatchEvent<T> {
  readonly type: WatchEventType;
  readonly object: T;
}

export interface ListOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic';
const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** How many times `update` re-reads and retries after a 409 Conflict before giving up. */
const conflictRetries = 12;

/**
 * Typed access to one resource: CRUD, patches, server-side apply, the status subresource,
 * conflict-safe read-modify-write and raw watches.
 *
 * @example
 * const nodes = new ResourceClient(kube, Resources.nodes);
 * await nodes.update('ip-10-0-0-1', undefined, (n) => { n.metadata!.labels![Labels.initialized] = 'true'; return n; });
 */
export class ResourceClient<T extends KubeObject> {
  constructor(
    private readonly kube: KubeClient,
    readonly resource: Resource<T>,
    private readonly fieldManager = 'karpenter-ts',
  ) {}

  private path(namespace?: string, name?: string, subresource?: string): string {
    return resourcePath(this.resource, namespace, name, subresource);
  }

  /** The object, or undefined when it does not exist. */
  async get(name: string, namespace?: string): Promise<T | undefined> {
    try {
      return await this.kube.request<T>('GET', this.path(namespace, name));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Every object (all pages), with the list's resourceVersion for a following watch. */
  async list(options: ListOptions = {}): Promise<KubeList<T>> {
    const items: T[] = [];
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page: KubeList<T> = await this.kube.request('GET', this.path(options.namespace), {
        query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: 500, continue: continueToken },
      });
      items.push(...page.items);
      continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion;
    } while (continueToken);
    // A list does not carry kind/apiVersion per item; fill them so objects are self-describing.
    for (const item of items) {
      item.apiVersion ??= apiVersionOf(this.resource);
      item.kind ??= this.resource.kind;
    }
    return { metadata: { resourceVersion }, items };
  }

  create(obj: T): Promise<T> {
    const body = { apiVersion: apiVersionOf(this.resource), kind: this.resource.kind, ...obj };
    return this.kube.request('POST', this.path(obj.metadata?.namespace), { body, query: { fieldManager: this.fieldManager } });
  }

  /** PUT: fails with 409 Conflict when metadata.resourceVersion is stale. */
  replace(obj: T): Promise<T> {
    return this.kube.request('PUT', this.path(obj.metadata?.namespace, obj.metadata?.name), { body: obj, query: { fieldManager: this.fieldManager } });
  }

  /** PUT on the status subresource: only `status` changes; 409 when stale. */
  replaceStatus(obj: T): Promise<T> {
    return this.kube.request('PUT', this.path(obj.metadata?.namespace, obj.metadata?.name, 'status'), { body: obj, query: { fieldManager: this.fieldManager } });
  }

  patch(name: string, namespace: string | undefined, patch: unknown, type: PatchType = 'merge', subresource?: 'status'): Promise<T> {
    return this.kube.request('PATCH', this.path(namespace, name, subresource), {
      body: patch,
      contentType: patchContentTypes[type],
      query: { fieldManager: this.fieldManager },
    });
  }

  /** Server-side apply: this field manager owns exactly the fields in `obj`. */
  apply(obj: T, options: { subresource?: 'status'; force?: boolean } = {}): Promise<T> {
    const body = { apiVersion: apiVersionOf(this.resource), kind: this.resource.kind, ...obj };
    return this.kube.request('PATCH', this.path(obj.metadata?.namespace, obj.metadata?.name, options.subresource), {
      body,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: this.fieldManager, force: options.force ?? true },
    });
  }

  /** Deletes; resolves false when it was already gone. A uid precondition avoids deleting a newer namesake. */
  async delete(name: string, namespace?: string, options: { uid?: string; propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; gracePeriodSeconds?: number } = {}): Promise<boolean> {
    try {
      await this.kube.request('DELETE', this.path(namespace, name), {
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: options.propagationPolicy,
          gracePeriodSeconds: options.gracePeriodSeconds,
          preconditions: options.uid ? { uid: options.uid } : undefined,
        },
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * Read-modify-write that survives concurrent writers: `mutate` gets a fresh copy and returns
   * the desired object (or undefined for "nothing to change"); on 409 Conflict the object is
   * re-read and `mutate` runs again. Resolves undefined when the object does not exist.
   */
  async update(name: string, namespace: string | undefined, mutate: (current: T) => T | undefined, options: { status?: boolean } = {}): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(name, namespace);
      if (!current) return undefined;
      const desired = mutate(structuredClone(current));
      if (!desired) return current;
      try {
        return await (options.status ? this.replaceStatus(desired) : this.replace(desired));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if (!isConflict(err) || attempt >= conflictRetries) throw err;
      }
      // Jittered backoff so concurrent writers of one object do not collide again in lockstep.
      await sleep(Math.random() * 10 * 2 ** Math.min(attempt, 6));
    }
  }

  /**
   * One watch request from `resourceVersion`; resolves when the server ends it. Bookmarks are
   * requested so a quiet resource still advances its resourceVersion.
   */
  watch(resourceVersion: string, onEvent: (event: WatchEvent<T>) => void, signal: AbortSignal, options: ListOptions & { timeoutSeconds?: number } = {}): Promise<void> {
    const query: Query = {
      watch: true,
      resourceVersion,
      allowWatchBookmarks: true,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      timeoutSeconds: options.timeoutSeconds ?? 300,
    };
    return this.kube.stream(this.path(options.namespace), query, (line) => onEvent(line as WatchEvent<T>), signal);
  }
}
