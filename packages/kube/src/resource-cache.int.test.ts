import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMaps, createNamespace, deleteNamespace, kubeFromEnv, waitFor, type ConfigMap } from '../test/peers.js';
import { KubeApiError, type KubeClient } from './kube-client.js';
import { ResourceCache } from './resource-cache.js';
import { ResourceClient, type ListOptions, type WatchEvent } from './resource-client.js';

type Seen = Array<[string, string, string]>; // [event, name, data.v]

function record(cache: ResourceCache<ConfigMap>): Seen {
  const seen: Seen = [];
  cache.on({
    onAdd: (o) => seen.push(['add', o.metadata!.name!, o.data?.v ?? '']),
    onUpdate: (o) => seen.push(['update', o.metadata!.name!, o.data?.v ?? '']),
    onDelete: (o) => seen.push(['delete', o.metadata!.name!, o.data?.v ?? '']),
  });
  return seen;
}

/**
 * A real client whose next watch first makes changes through the API and then answers 410 Gone,
 * as the API server does when the cache's resourceVersion was compacted away meanwhile.
 */
class ExpiringWatchClient extends ResourceClient<ConfigMap> {
  beforeExpiry: (() => Promise<void>) | undefined;
  override async watch(rv: string, onEvent: (e: WatchEvent<ConfigMap>) => void, signal: AbortSignal, options?: ListOptions & { timeoutSeconds?: number }): Promise<void> {
    const changes = this.beforeExpiry;
    if (changes) {
      this.beforeExpiry = undefined;
      await changes();
      throw new KubeApiError('GET', 'watch', 410, 'Expired', `too old resource version: ${rv}`);
    }
    return super.watch(rv, onEvent, signal, options);
  }
}

describe('ResourceCache against a real API server', () => {
  let kube: KubeClient;
  let namespace: string;
  let cms: ResourceClient<ConfigMap>;

  beforeAll(async () => {
    kube = kubeFromEnv();
    namespace = await createNamespace(kube, 'kube-cache');
    cms = new ResourceClient(kube, configMaps);
  });
  afterAll(async () => {
    await deleteNamespace(kube, namespace);
    kube.close();
  });

  it('lists, then follows every change in order, exactly once', async () => {
    await cms.create({ metadata: { name: 'before', namespace }, data: { v: '0' } });
    const cache = new ResourceCache(cms, { namespace });
    const seen = record(cache);
    await cache.start();
    expect(cache.get('before', namespace)?.data?.v).toBe('0');
    expect(seen).toEqual([['add', 'before', '0']]);

    await cms.create({ metadata: { name: 'x', namespace }, data: { v: '1' } });
    await cms.patch('x', namespace, { data: { v: '2' } });
    await cms.patch('x', namespace, { data: { v: '3' } });
    await cms.delete('before', namespace);
    await waitFor('the delete', () => seen.length === 5);
    expect(seen).toEqual([
      ['add', 'before', '0'],
      ['add', 'x', '1'],
      ['update', 'x', '2'],
      ['update', 'x', '3'],
      ['delete', 'before', '0'],
    ]);
    expect(cache.list().map((c) => c.metadata?.name)).toEqual(['x']);
    expect(cache.get('x', namespace)?.metadata?.managedFields).toBeUndefined();
    await cache.stop();
  });

  it('re-watches from its resourceVersion after the server closes the watch, missing nothing', async () => {
    const cache = new ResourceCache(cms, { namespace, labelSelector: 'round=timeout', watchTimeoutSeconds: 1 });
    const seen = record(cache);
    await cache.start();
    for (let i = 0; i < 6; i++) {
      await cms.create({ metadata: { name: `t${i}`, namespace, labels: { round: 'timeout' } }, data: { v: String(i) } });
      await new Promise((r) => setTimeout(r, 400)); // spans several 1 s watch timeouts
    }
    await waitFor('all adds', () => seen.length === 6);
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.map(([, name]) => name)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    await cache.stop();
  });

  it('relists on 410 Gone and emits only the differences', async () => {
    const client = new ExpiringWatchClient(kube, configMaps);
    const sel = { namespace, labelSelector: 'round=gone' };
    for (const name of ['keep', 'change', 'remove']) {
      await cms.create({ metadata: { name, namespace, labels: { round: 'gone' } }, data: { v: '1' } });
    }
    const cache = new ResourceCache(client, { ...sel, retryDelayMs: 50, watchTimeoutSeconds: 1 });
    await cache.start();
    const seen = record(cache);
    // Changes the cache never sees as watch events (made when its current 1 s watch ends): it must
    // recover them from the relist.
    client.beforeExpiry = async () => {
      await cms.patch('change', namespace, { data: { v: '2' } });
      await cms.delete('remove', namespace);
      await cms.create({ metadata: { name: 'new', namespace, labels: { round: 'gone' } }, data: { v: '1' } });
    };
    await waitFor('the relist', () => seen.some(([e]) => e === 'delete'));
    await cms.patch('new', namespace, { data: { v: '9' } }); // and the watch after the relist works
    await waitFor('the post-relist update', () => seen.some(([e, n, v]) => e === 'update' && n === 'new' && v === '9'));
    const byName = (name: string) => seen.filter(([, n]) => n === name).map(([e, , v]) => `${e}:${v}`);
    expect(byName('change')).toEqual(['update:2']);
    expect(byName('remove')).toEqual(['delete:1']);
    expect(byName('new')).toEqual(['add:1', 'update:9']);
    expect(byName('keep')).toEqual([]);
    expect(cache.list().map((c) => c.metadata?.name).sort()).toEqual(['change', 'keep', 'new']);
    await cache.stop();
  });
});
