import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMaps, createNamespace, deleteNamespace, kubeFromEnv, type ConfigMap } from '../test/peers.js';
import { installCustomResourceDefinitions } from './crds.js';
import { isConflict, KubeApiError, type KubeClient } from './kube-client.js';
import { ResourceClient } from './resource-client.js';
import { resource, type KubeObject } from './resources.js';

interface Widget extends KubeObject {
  spec?: { size?: number };
  status?: { phase?: string };
}
const widgets = resource<Widget>('test.karpenter-ts.dev', 'v1', 'widgets', 'Widget', false);
const widgetCrd: V1CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.test.karpenter-ts.dev' },
  spec: {
    group: 'test.karpenter-ts.dev',
    scope: 'Cluster',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer' } } },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

describe('ResourceClient against a real API server', () => {
  let kube: KubeClient;
  let namespace: string;
  let cms: ResourceClient<ConfigMap>;

  beforeAll(async () => {
    kube = kubeFromEnv();
    namespace = await createNamespace(kube, 'kube-client');
    cms = new ResourceClient(kube, configMaps);
    await installCustomResourceDefinitions(kube, [widgetCrd]);
  });
  afterAll(async () => {
    await deleteNamespace(kube, namespace);
    kube.close();
  });

  it('creates, reads, lists, patches and deletes', async () => {
    await cms.create({ metadata: { name: 'a', namespace, labels: { app: 'x' } }, data: { k: '1' } });
    await cms.create({ metadata: { name: 'b', namespace }, data: { k: '2' } });
    expect((await cms.get('a', namespace))?.data).toEqual({ k: '1' });
    expect(await cms.get('missing', namespace)).toBeUndefined();
    const labelled = await cms.list({ namespace, labelSelector: 'app=x' });
    expect(labelled.items.map((c) => c.metadata?.name)).toEqual(['a']);
    expect(labelled.items[0].kind).toBe('ConfigMap');
    expect(labelled.metadata?.resourceVersion).toMatch(/^\d+$/);
    const patched = await cms.patch('a', namespace, { data: { k: '3' } });
    expect(patched.data).toEqual({ k: '3' });
    expect(await cms.delete('a', namespace)).toBe(true);
    expect(await cms.delete('a', namespace)).toBe(false);
  });

  it('rejects a stale write with a Conflict, and update() re-reads and retries', async () => {
    const created = await cms.create({ metadata: { name: 'counter', namespace }, data: { n: '0' } });
    await cms.patch('counter', namespace, { data: { n: '1' } });
    const stale = await cms.replace(created).catch((err: unknown) => err);
    expect(isConflict(stale)).toBe(true);

    // 20 concurrent increments: every one lands exactly once despite the conflicts they cause.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        cms.update('counter', namespace, (cm) => {
          cm.data = { n: String(Number(cm.data!.n) + 1) };
          return cm;
        }),
      ),
    );
    expect((await cms.get('counter', namespace))?.data?.n).toBe('21');
    expect(await cms.update('nope', namespace, (cm) => cm)).toBeUndefined();
  });

  it('paginates lists beyond one page', async () => {
    await Promise.all(Array.from({ length: 520 }, (_, i) => cms.create({ metadata: { name: `page-${i}`, namespace, labels: { page: 'yes' } } })));
    const all = await cms.list({ namespace, labelSelector: 'page=yes' });
    expect(all.items).toHaveLength(520);
    expect(new Set(all.items.map((c) => c.metadata?.name)).size).toBe(520);
  });

  it('writes status only through the status subresource of a CRD', async () => {
    const client = new ResourceClient(kube, widgets);
    const name = `w-${Date.now()}`;
    const created = await client.create({ metadata: { name }, spec: { size: 1 }, status: { phase: 'ignored' } });
    expect(created.status).toBeUndefined(); // status is dropped on create when the subresource is enabled
    const withStatus = await client.update(name, undefined, (w) => ({ ...w, status: { phase: 'Ready' }, spec: { size: 99 } }), { status: true });
    expect(withStatus?.status?.phase).toBe('Ready');
    expect(withStatus?.spec?.size).toBe(1); // spec changes are ignored on /status
    const applied = await client.apply({ metadata: { name }, spec: { size: 5 } });
    expect(applied.spec?.size).toBe(5);
    expect(applied.status?.phase).toBe('Ready');
    await client.delete(name);
  });

  it('names the object, status and reason in API errors', async () => {
    const err = await cms.create({ metadata: { name: 'Bad_Name', namespace } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).statusCode).toBe(422);
    expect((err as KubeApiError).message).toContain('Bad_Name');
  });
});
