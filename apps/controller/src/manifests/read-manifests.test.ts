import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sortManifests } from './cluster-manifests.js';
import { parseManifests, readManifests } from './read-manifests.js';

const deployment = (name: string, replicas?: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  ${replicas === undefined ? '' : `replicas: ${replicas}`}
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: app, resources: { requests: { cpu: 500m, memory: 1Gi } } }]
`;

describe('readManifests', () => {
  it('reads multi-document YAML, JSON and kubectl List output from files and directories', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifests-'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'a.yaml'), `${deployment('web', 3)}\n---\n${deployment('api')}\n---\n`);
    writeFileSync(join(dir, 'nested', 'b.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo' }, spec: { containers: [] } }));
    writeFileSync(join(dir, 'list.yml'), 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p1, namespace: x}}\n- {apiVersion: v1, kind: Pod, metadata: {name: p2, namespace: x}}\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    const docs = readManifests([dir]);
    expect(docs.map((d) => `${d.object.kind}:${d.source.name}`)).toEqual(['Deployment:shop/web', 'Deployment:shop/api', 'Pod:x/p1', 'Pod:x/p2', 'Pod:solo']);
    expect(docs[3].source).toMatchObject({ file: join(dir, 'list.yml'), document: 1, item: 2 });
  });

  it('reads standard input for "-"', () => {
    const docs = readManifests(['-'], () => deployment('web', 2));
    expect(docs[0].source.file).toBe('<stdin>');
  });

  it('names the file, document and line of malformed YAML', () => {
    expect(() => parseManifests(`${deployment('ok')}\n---\nkind: Pod\nmetadata: {name: [oops\n`, 'bad.yaml')).toThrow(/^bad.yaml, document 2: malformed YAML at line \d+, column \d+/);
  });

  it('rejects a document without kind and a missing path', () => {
    expect(() => parseManifests('metadata: {name: x}\n', 'f.yaml')).toThrow(/f.yaml, document 1: missing "kind"/);
    expect(() => readManifests(['/nonexistent/path.yaml'])).toThrow(/\/nonexistent\/path.yaml: no such file or directory/);
  });

  it('fills the item kind of typed lists (kubectl get deploy -o yaml)', () => {
    const docs = parseManifests('apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- metadata: {name: w}\n  spec: {template: {spec: {containers: []}}}\n', 'l.yaml');
    expect(docs[0].object.kind).toBe('Deployment');
  });
});

describe('sortManifests', () => {
  it('expands workloads to <workload>-<index> in their namespace', () => {
    const { pendingPods } = sortManifests(parseManifests(`${deployment('web', 24)}---\n${deployment('api')}`, 'w.yaml'));
    const names = pendingPods.map((p) => `${p.pod.metadata.namespace}/${p.pod.metadata.name}`);
    expect(names).toHaveLength(25);
    expect(names[0]).toBe('shop/web-0');
    expect(names[23]).toBe('shop/web-23');
    expect(names[24]).toBe('shop/api-0');
    expect(pendingPods[0].pod.metadata.labels).toEqual({ app: 'web' });
    expect(pendingPods[5].source).toMatchObject({ file: 'w.yaml', document: 1, name: 'shop/web-5' });
  });

  it('runs a Job min(parallelism, completions) wide and a CronJob once', () => {
    const text = `
apiVersion: batch/v1
kind: Job
metadata: { name: etl }
spec: { parallelism: 8, completions: 3, template: { spec: { containers: [] } } }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly, namespace: ops }
spec: { schedule: "0 0 * * *", jobTemplate: { spec: { parallelism: 2, template: { spec: { containers: [] } } } } }
`;
    const names = sortManifests(parseManifests(text, 'j.yaml')).pendingPods.map((p) => `${p.pod.metadata.namespace}/${p.pod.metadata.name}`);
    expect(names).toEqual(['default/etl-0', 'default/etl-1', 'default/etl-2', 'ops/nightly-0', 'ops/nightly-1']);
  });

  it('gives StatefulSet replicas their volume claims', () => {
    const text = `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: data }
spec:
  replicas: 2
  template: { spec: { containers: [] } }
  volumeClaimTemplates: [{ metadata: { name: pgdata }, spec: { resources: { requests: { storage: 100Gi } } } }]
`;
    const sorted = sortManifests(parseManifests(text, 's.yaml'));
    expect(sorted.pendingPods[1].pod.spec?.volumes).toEqual([{ name: 'pgdata', persistentVolumeClaim: { claimName: 'pgdata-db-1' } }]);
    expect(sorted.persistentVolumeClaims.map((c) => c.object.metadata.name)).toEqual(['pgdata-db-0', 'pgdata-db-1']);
  });

  it('keeps bound pods apart, drops pending pods of workloads in the input, warns on unknown kinds', () => {
    const text = `${deployment('web', 2)}---
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web-abc, namespace: shop, ownerReferences: [{ kind: Deployment, name: web, controller: true }] }
spec: { replicas: 2, template: { spec: { containers: [] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: web-abc-1, namespace: shop, ownerReferences: [{ kind: ReplicaSet, name: web-abc }] }
spec: { containers: [] }
---
apiVersion: v1
kind: Pod
metadata: { name: running, namespace: shop }
spec: { nodeName: ip-10-0-0-1, containers: [] }
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w }
---
apiVersion: v1
kind: Service
metadata: { name: web }
`;
    const sorted = sortManifests(parseManifests(text, 'mix.yaml'));
    expect(sorted.pendingPods.map((p) => p.pod.metadata.name)).toEqual(['web-0', 'web-1']);
    expect(sorted.boundPods.map((p) => p.pod.metadata.name)).toEqual(['running']);
    expect(sorted.warnings).toEqual([
      'ignored 1 pod bound to nodes not in the input (first: mix.yaml, document 4 (Pod shop/running)); add the Node objects to count them as existing capacity',
      'skipped 1 object of unknown kind Widget (first at mix.yaml, document 5 (Widget w))',
    ]);
  });

  it('drops finished pods', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: done}\nspec: {nodeName: n1}\nstatus: {phase: Succeeded}\n';
    const sorted = sortManifests(parseManifests(text, 'p.yaml'));
    expect([sorted.pendingPods.length, sorted.boundPods.length, sorted.warnings.length]).toEqual([0, 0, 0]);
  });

  it('rejects a bad replica count naming the document', () => {
    expect(() => sortManifests(parseManifests(deployment('web', -1), 'd.yaml'))).toThrow(/d.yaml, document 1 \(Deployment shop\/web\): spec.replicas: -1 is not a non-negative integer/);
  });
});

describe('JSON input', () => {
  it('reads kubectl get -o json output and reports malformed JSON with its position', () => {
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'n' } }] });
    expect(parseManifests(list, 'pods.json').map((d) => d.source.name)).toEqual(['n/a']);
    expect(() => parseManifests('{"kind": "Pod", "metadata": {', 'bad.json')).toThrow(/^bad.json, document 1: malformed YAML at line 1/);
  });
});

describe('workloads with running pods in the input', () => {
  it('places only the replicas that are not running (kubectl get deploy,rs,sts,pods)', () => {
    const text = `${deployment('web', 4)}---
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web-7d9f, namespace: shop, ownerReferences: [{ kind: Deployment, name: web }] }
spec: { replicas: 4, template: { spec: { containers: [] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: web-7d9f-abcde, namespace: shop, ownerReferences: [{ kind: ReplicaSet, name: web-7d9f }] }
spec: { nodeName: n1, containers: [] }
---
apiVersion: v1
kind: Pod
metadata: { name: web-7d9f-fghij, namespace: shop, ownerReferences: [{ kind: ReplicaSet, name: web-7d9f }] }
spec: { nodeName: n1, containers: [] }
---
apiVersion: v1
kind: Pod
metadata: { name: web-7d9f-klmno, namespace: shop, ownerReferences: [{ kind: ReplicaSet, name: web-7d9f }] }
spec: { containers: [] }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec: { replicas: 3, template: { spec: { containers: [] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: db-1, namespace: shop, ownerReferences: [{ kind: StatefulSet, name: db }] }
spec: { nodeName: n1, containers: [] }
`;
    const sorted = sortManifests(parseManifests(text, 'live.yaml'));
    expect(sorted.pendingPods.map((p) => p.pod.metadata.name)).toEqual(['web-2', 'web-3', 'db-0', 'db-2']);
    expect(sorted.boundPods.map((p) => p.pod.metadata.name)).toEqual(['web-7d9f-abcde', 'web-7d9f-fghij', 'db-1']);
  });
});
