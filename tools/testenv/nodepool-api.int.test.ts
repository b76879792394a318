// What the NodePool CRD makes the API server do: apply defaults, keep status behind the status
// subresource, scale static NodePools through the scale subresource, print the printer columns.
import { request, type RequestOptions } from 'node:https';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { assertValid, type NodePool } from '@karpenter-ts/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeConfigFromEnv, projectCrds } from './index.js';

const group = 'karpenter.sh';
const version = 'v1';
const plural = 'nodepools';
const suffix = Date.now().toString(36);

function minimalNodePool(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      ...extra,
      template: { spec: { requirements: [], nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } } },
    },
  };
}

/** A GET with the kubeconfig's credentials and a chosen Accept header (for Table output). */
async function getWithAccept(kc: KubeConfig, path: string, accept: string): Promise<unknown> {
  const server = new URL(kc.getCurrentCluster()!.server);
  const options: RequestOptions = { hostname: server.hostname, port: server.port, path, method: 'GET', headers: { Accept: accept } };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`HTTP ${res.statusCode}: ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('NodePool on the API server', () => {
  let kc: KubeConfig;
  let api: CustomObjectsApi;
  const created: string[] = [];

  const create = async (body: ReturnType<typeof minimalNodePool>) => {
    const stored = (await api.createClusterCustomObject({ group, version, plural, body })) as NodePool;
    created.push(body.metadata.name);
    return stored;
  };
  const read = async (name: string) => (await api.getClusterCustomObject({ group, version, plural, name })) as NodePool & { status?: Record<string, unknown> };

  beforeAll(() => {
    kc = kubeConfigFromEnv();
    api = kc.makeApiClient(CustomObjectsApi);
  });

  afterAll(async () => {
    for (const name of created) await api.deleteClusterCustomObject({ group, version, plural, name }).catch(() => undefined);
  });

  it('applies the defaults, the same ones validate() applies offline', async () => {
    const manifest = minimalNodePool(`defaults-${suffix}`);
    const stored = await create(manifest);
    expect(stored.spec.template.spec.expireAfter).toBe('720h');
    expect(stored.spec.disruption.budgets).toEqual([{ nodes: '10%' }]);
    expect(stored.spec.disruption.consolidationPolicy).toBe('WhenEmptyOrUnderutilized');
    expect(stored.spec.disruption.consolidateAfter).toBe('0s');
    expect(stored.spec).toEqual(assertValid<NodePool>(manifest).spec);
  });

  it('keeps status behind the status subresource', async () => {
    const name = `status-${suffix}`;
    await create(minimalNodePool(name));
    const status = {
      resources: { cpu: '4', memory: '16Gi', nodes: '2' },
      nodes: 2,
      conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: '', lastTransitionTime: new Date().toISOString(), observedGeneration: 1 }],
    };
    await api.patchClusterCustomObjectStatus({ group, version, plural, name, body: [{ op: 'add', path: '/status', value: status }] });
    expect((await read(name)).status).toMatchObject(status);

    // Writes of status through the main resource are ignored, as are spec writes through /status.
    const current = await read(name);
    await api.replaceClusterCustomObject({ group, version, plural, name, body: { ...current, status: { ...current.status, nodes: 99 } } });
    expect((await read(name)).status?.nodes).toBe(2);
    const generation = (await read(name)).metadata?.generation;
    await api.patchClusterCustomObjectStatus({ group, version, plural, name, body: [{ op: 'replace', path: '/spec/weight', value: 7 }] });
    const after = await read(name);
    expect(after.spec.weight).toBeUndefined();
    expect(after.metadata?.generation).toBe(generation);
  });

  it('scales a static NodePool through the scale subresource', async () => {
    const name = `static-${suffix}`;
    await create(minimalNodePool(name, { replicas: 1 }));
    await api.patchClusterCustomObjectStatus({ group, version, plural, name, body: [{ op: 'add', path: '/status', value: { nodes: 1 } }] });
    const scale = (await api.getClusterCustomObjectScale({ group, version, plural, name })) as { spec: { replicas: number }; status: { replicas: number } };
    expect(scale).toMatchObject({ spec: { replicas: 1 }, status: { replicas: 1 } });

    await api.patchClusterCustomObjectScale({ group, version, plural, name, body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] });
    expect((await read(name)).spec.replicas).toBe(3);
  });

  it('shows the printer columns in a Table request', async () => {
    const name = `table-${suffix}`;
    await create(minimalNodePool(name));
    await api.patchClusterCustomObjectStatus({
      group,
      version,
      plural,
      name,
      body: [{ op: 'add', path: '/status', value: { resources: { nodes: '5' }, conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: '', lastTransitionTime: new Date().toISOString() }] } }],
    });
    const table = (await getWithAccept(kc, `/apis/${group}/${version}/${plural}/${name}`, 'application/json;as=Table;v=v1;g=meta.k8s.io')) as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
    };
    expect(table.kind).toBe('Table');
    const columns = table.columnDefinitions.map((c) => c.name);
    const crd = projectCrds().find((c) => c.metadata?.name === 'nodepools.karpenter.sh')!;
    expect(columns).toEqual(['Name', ...crd.spec.versions[0].additionalPrinterColumns!.map((c) => c.name)]);
    expect(columns).toEqual(expect.arrayContaining(['NodeClass', 'Nodes', 'Ready', 'Age']));
    const cell = (column: string) => table.rows[0].cells[columns.indexOf(column)];
    expect([cell('Name'), cell('NodeClass'), cell('Nodes'), cell('Ready')]).toEqual([name, 'default', '5', 'True']);
  });
});
