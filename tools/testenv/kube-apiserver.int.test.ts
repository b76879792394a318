// Behaviour of the real API server that the controller relies on: RBAC, watches from a
// resourceVersion, relisting after 410 Gone, and the Eviction API honouring PodDisruptionBudgets.
import { ApiextensionsV1Api, AuthorizationV1Api, CoreV1Api, CustomObjectsApi, PolicyV1Api, VersionApi, Watch, type KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, kubeConfigFromEnv, waitForCrdsEstablished } from './index.js';

interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; data?: Record<string, string> };
}

/** Watches `path` from `resourceVersion` until `enough(events)` holds; rejects on timeout or a broken watch. */
async function watchUntil(kc: KubeConfig, path: string, resourceVersion: string, enough: (events: WatchEvent[]) => boolean): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  let abort: AbortController | undefined;
  try {
    return await new Promise<WatchEvent[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`watch saw only ${JSON.stringify(events.map((e) => e.type))}`)), 20_000);
      const settle = () => {
        if (enough(events)) {
          clearTimeout(timer);
          resolve(events);
        }
      };
      new Watch(kc)
        .watch(path, { resourceVersion, allowWatchBookmarks: false }, (type, object) => (events.push({ type, object }), settle()), (error) => {
          clearTimeout(timer);
          if (enough(events)) resolve(events);
          else reject(error ?? new Error(`watch closed after ${JSON.stringify(events.map((e) => e.type))}`));
        })
        .then((controller) => (abort = controller), reject);
    });
  } finally {
    abort?.abort();
  }
}

describe('kube-apiserver', () => {
  let kc: KubeConfig;
  let core: CoreV1Api;
  let ns: string;

  beforeAll(async () => {
    kc = kubeConfigFromEnv();
    core = kc.makeApiClient(CoreV1Api);
    ns = await freshNamespace(kc, 'apiserver');
  });

  it('is the Kubernetes version the project targets', async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe('v1.36.3');
  });

  it('authorizes with RBAC: the admin may do anything, a service account nothing by default', async () => {
    const authz = kc.makeApiClient(AuthorizationV1Api);
    const review = await authz.createSubjectAccessReview({
      body: {
        spec: { user: `system:serviceaccount:${ns}:default`, resourceAttributes: { verb: 'create', group: 'karpenter.sh', resource: 'nodeclaims' } },
      },
    });
    expect(review.status?.allowed).toBe(false);
    const self = await authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { verb: '*', group: '*', resource: '*' } } } });
    expect(self.status?.allowed).toBe(true);
  });

  it('issues service-account tokens', async () => {
    const token = await core.createNamespacedServiceAccountToken({ name: 'default', namespace: ns, body: { spec: { audiences: [] } } });
    expect(token.status?.token.split('.')).toHaveLength(3);
  });

  it('delivers add, modify and delete of a ConfigMap to a watch started from a resourceVersion', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: ns });
    const watching = watchUntil(kc, `/api/v1/namespaces/${ns}/configmaps`, list.metadata!.resourceVersion!, (events) =>
      events.some((e) => e.type === 'DELETED'),
    );
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'watched' }, data: { step: 'created' } } });
    await core.replaceNamespacedConfigMap({ name: 'watched', namespace: ns, body: { metadata: { name: 'watched' }, data: { step: 'modified' } } });
    await core.deleteNamespacedConfigMap({ name: 'watched', namespace: ns });
    const events = (await watching).filter((e) => e.object.metadata?.name === 'watched');
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events[1].object.data).toEqual({ step: 'modified' });
  });

  it('delivers add, modify and delete of a NodePool (a custom resource) the same way', async () => {
    const nodePools = kc.makeApiClient(CustomObjectsApi);
    const at = { group: 'karpenter.sh', version: 'v1', plural: 'nodepools' };
    const name = `watched-${ns}`;
    const list = (await nodePools.listClusterCustomObject(at)) as { metadata: { resourceVersion: string } };
    const watching = watchUntil(kc, '/apis/karpenter.sh/v1/nodepools', list.metadata.resourceVersion, (events) =>
      events.some((e) => e.type === 'DELETED' && e.object.metadata?.name === name),
    );
    const nodeClassRef = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' };
    await nodePools.createClusterCustomObject({
      ...at,
      body: { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name }, spec: { template: { spec: { requirements: [], nodeClassRef } } } },
    });
    await nodePools.patchClusterCustomObject({ ...at, name, body: [{ op: 'add', path: '/spec/weight', value: 10 }] });
    await nodePools.deleteClusterCustomObject({ ...at, name });
    const events = (await watching).filter((e) => e.object.metadata?.name === name);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect((events[1].object as { spec?: { weight?: number } }).spec?.weight).toBe(10);
  });

  it('answers a watch from an expired resourceVersion with 410 Gone, and a relist resumes it', async () => {
    // The watch cache of a resource starts at the revision it was created at, so a revision from
    // before that is outside its history, exactly like one older than the window after a restart.
    const before = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'before-probes' } } });
    const crds = kc.makeApiClient(ApiextensionsV1Api);
    const group = `${ns}.testenv.karpenter-ts.dev`;
    await crds.createCustomResourceDefinition({
      body: {
        metadata: { name: `probes.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'probes', singular: 'probe', kind: 'Probe', listKind: 'ProbeList' },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }],
        },
      },
    });
    await waitForCrdsEstablished(kc, [`probes.${group}`]);
    const probes = kc.makeApiClient(CustomObjectsApi);
    const probe = (name: string) => probes.createNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'probes', body: { apiVersion: `${group}/v1`, kind: 'Probe', metadata: { name } } });
    await probe('first');
    const path = `/apis/${group}/v1/namespaces/${ns}/probes`;

    const expired = await watchUntil(kc, path, before.metadata!.resourceVersion!, (events) => events.some((e) => e.type === 'ERROR'));
    expect(expired.find((e) => e.type === 'ERROR')?.object.code).toBe(410);

    const relist = (await probes.listNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'probes' })) as {
      metadata: { resourceVersion: string };
      items: { metadata: { name: string } }[];
    };
    expect(relist.items.map((item) => item.metadata.name)).toEqual(['first']);
    const resumed = watchUntil(kc, path, relist.metadata.resourceVersion, (events) => events.some((e) => e.object.metadata?.name === 'second'));
    await probe('second');
    expect((await resumed).map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED second']);
  });

  describe('Eviction API', () => {
    // No kube-controller-manager runs, so the test plays the disruption controller (PDB status)
    // and the kubelet (pod status), as the API server only reads those.
    async function runningPod(name: string): Promise<void> {
      await core.createNamespacedPod({
        namespace: ns,
        body: { metadata: { name, labels: { app: 'guarded' } }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] } },
      });
      const now = new Date();
      await core.replaceNamespacedPodStatus({
        name,
        namespace: ns,
        body: {
          ...(await core.readNamespacedPod({ name, namespace: ns })),
          status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] },
        },
      });
    }

    async function budget(disruptionsAllowed: number): Promise<void> {
      const pdb = await policy.readNamespacedPodDisruptionBudget({ name: 'guard', namespace: ns });
      pdb.status = { disruptionsAllowed, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, observedGeneration: pdb.metadata!.generation };
      await policy.replaceNamespacedPodDisruptionBudgetStatus({ name: 'guard', namespace: ns, body: pdb });
    }

    const evict = (name: string) =>
      core.createNamespacedPodEviction({ name, namespace: ns, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } } });

    let policy: PolicyV1Api;
    beforeAll(async () => {
      policy = kc.makeApiClient(PolicyV1Api);
      await policy.createNamespacedPodDisruptionBudget({
        namespace: ns,
        body: { metadata: { name: 'guard' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } },
      });
    });

    it('refuses with 429 an eviction the PodDisruptionBudget does not allow', async () => {
      await runningPod('guarded-0');
      await budget(0);
      const refusal = await evict('guarded-0').then(
        () => undefined,
        (error: { code?: number; body?: string }) => error,
      );
      expect(refusal?.code).toBe(429);
      expect(JSON.parse(refusal?.body ?? '{}').message).toMatch(/would violate the pod's disruption budget/);
      expect((await core.readNamespacedPod({ name: 'guarded-0', namespace: ns })).metadata?.deletionTimestamp).toBeUndefined();
    });

    it('evicts once the budget allows a disruption', async () => {
      await budget(1);
      await evict('guarded-0');
      const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=guarded' });
      // Unscheduled pods have no kubelet to wait for: they are deleted at once.
      expect(pods.items.map((p) => p.metadata?.name)).not.toContain('guarded-0');
    });
  });
});
