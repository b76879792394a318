// The Helm charts, rendered offline: lint, value sets, schema rejections, RBAC, CRDs.
// Runs the helm binary of tools/helm/install-helm.sh; without it the suite is skipped loudly
// (and fails under CI=true).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient, type KubeObject, type ResourceClient } from '@karpenter-ts/kube';
import { KubernetesApi } from '../../apps/controller/src/cluster/kubernetes-api.js';
import { afterAll, describe, expect, it } from 'vitest';
import { isMap, parse, parseDocument, type Node } from 'yaml';
import { controllerPermissions, resourceNameFor } from './controller-permissions.js';
import { controllerChart, crdChart, crdSource, findHelm, findManifest, helm, helmMissing, render, templateArgs, type Manifest, type RenderOptions } from './helm.js';

const helmFound = findHelm() !== undefined;
if (!helmFound) console.warn(`\n!!! chart tests SKIPPED: ${helmMissing}\n`);

it.runIf(process.env.CI === 'true')('helm is installed in CI', () => {
  expect(findHelm(), helmMissing).toBeDefined();
});

const valueSet = (name: string) => join(controllerChart, 'ci', `${name}-values.yaml`);
const valueSets = ['defaults', 'irsa', 'custom-resources', 'service-monitor'];
const clusterName = { 'settings.clusterName': 'my-cluster' };

interface Container {
  name: string;
  env: { name: string; value?: string; valueFrom?: unknown }[];
  ports: { name: string; containerPort: number }[];
  securityContext: Record<string, unknown>;
  resources: unknown;
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
}

interface PodSpec {
  serviceAccountName: string;
  priorityClassName: string;
  securityContext: Record<string, unknown>;
  containers: Container[];
  affinity: {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: { key: string; operator: string }[] }[] } };
    podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }[] };
  };
  topologySpreadConstraints: { topologyKey: string; whenUnsatisfiable: string; labelSelector: { matchLabels: Record<string, string> } }[];
}

function podSpec(manifests: readonly Manifest[]): PodSpec {
  return (findManifest(manifests, 'Deployment') as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

function env(manifests: readonly Manifest[]): Record<string, unknown> {
  const container = podSpec(manifests).containers.find((c) => c.name === 'controller')!;
  return Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom]));
}

async function renderError(options: RenderOptions): Promise<string> {
  const result = await helm(['template', 'karpenter', ...templateArgs(controllerChart, options)]);
  expect(result.ok, `expected helm template to fail for ${JSON.stringify(options.set)}`).toBe(false);
  return result.stderr;
}

describe.skipIf(!helmFound)('karpenter-ts chart', () => {
  describe.each(valueSets)('value set %s', (name) => {
    it('passes helm lint --strict', async () => {
      const result = await helm(['lint', '--strict', controllerChart, '--values', valueSet(name)]);
      expect(result.stdout + result.stderr).toContain('0 chart(s) failed');
      expect(result.ok).toBe(true);
    });

    it('renders the controller with every resource of the chart', async () => {
      const kinds = (await render(controllerChart, { valuesFiles: [valueSet(name)] })).map((m) => m.kind).sort();
      const expected = ['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount'];
      if (name === 'service-monitor') expected.push('ServiceMonitor');
      expect(kinds).toEqual(expected.sort());
    });
  });

  it('documents every value in values.yaml', () => {
    const doc = parseDocument(readFileSync(join(controllerChart, 'values.yaml'), 'utf8'));
    const undocumented: string[] = [];
    // A value is documented by a comment on its key or on an enclosing key (e.g. podSecurityContext).
    const walk = (node: Node | null, path: string, documented: boolean) => {
      if (!isMap(node)) return;
      node.items.forEach((pair, i) => {
        const key = pair.key as Node & { value: unknown };
        const commented = documented || Boolean(key.commentBefore) || (i === 0 && Boolean(node.commentBefore ?? (node === doc.contents ? doc.commentBefore : undefined)));
        if (isMap(pair.value) && pair.value.items.length > 0) walk(pair.value, `${path}${String(key.value)}.`, commented);
        else if (!commented) undocumented.push(`${path}${String(key.value)}`);
      });
    };
    walk(doc.contents, '', false);
    expect(undocumented).toEqual([]);
  });

  it('runs two replicas, hardened, off the nodes it manages, spread across zones and hosts', async () => {
    const manifests = await render(controllerChart, { valuesFiles: [valueSet('defaults')] });
    const deployment = findManifest(manifests, 'Deployment') as unknown as { spec: { replicas: number } };
    expect(deployment.spec.replicas).toBe(2);
    const pod = podSpec(manifests);
    const release = { 'app.kubernetes.io/name': 'karpenter', 'app.kubernetes.io/instance': 'karpenter' };
    expect(pod.priorityClassName).toBe('system-cluster-critical');
    expect(pod.serviceAccountName).toBe('karpenter');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' },
    ]);
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: release } },
    ]);
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: release } },
    ]);
    expect(pod.containers[0].livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(pod.containers[0].ports).toEqual([
      { name: 'http-metrics', containerPort: 8080, protocol: 'TCP' },
      { name: 'http', containerPort: 8081, protocol: 'TCP' },
    ]);
    expect(env(manifests)).toMatchObject({
      CLUSTER_NAME: 'my-cluster',
      BATCH_IDLE_DURATION: '1s',
      BATCH_MAX_DURATION: '10s',
      VM_MEMORY_OVERHEAD_PERCENT: '0.075',
      FEATURE_GATES: 'NodeRepair=false,ReservedCapacity=true,SpotToSpotConsolidation=false',
      METRICS_PORT: '8080',
      HEALTH_PROBE_PORT: '8081',
      LOG_LEVEL: 'info',
      LEDGER_PATH: '/var/lib/karpenter-ts/ledger.sqlite',
      LEADER_ELECTION_NAME: 'karpenter-leader-election',
      POD_NAMESPACE: { fieldRef: { fieldPath: 'metadata.namespace' } },
      POD_NAME: { fieldRef: { fieldPath: 'metadata.name' } },
    });
    for (const unset of ['CLUSTER_ENDPOINT', 'AWS_REGION', 'INTERRUPTION_QUEUE', 'DATABASE_URL']) expect(env(manifests)).not.toHaveProperty(unset);
  });

  it('maps the IRSA value set to the ServiceAccount annotation and the settings to the environment', async () => {
    const manifests = await render(controllerChart, { valuesFiles: [valueSet('irsa')] });
    expect(findManifest(manifests, 'ServiceAccount').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/KarpenterControllerRole-my-cluster',
    });
    expect(env(manifests)).toMatchObject({
      CLUSTER_ENDPOINT: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
      AWS_REGION: 'eu-west-1',
      INTERRUPTION_QUEUE: 'Karpenter-my-cluster',
    });
  });

  it('applies custom resources, ports, batching, feature gates and a ledger URL from a Secret', async () => {
    const manifests = await render(controllerChart, { valuesFiles: [valueSet('custom-resources')] });
    const container = podSpec(manifests).containers[0];
    expect(container.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } });
    expect(container.ports.map((p) => p.containerPort)).toEqual([9090, 9091]);
    expect(env(manifests)).toMatchObject({
      METRICS_PORT: '9090',
      HEALTH_PROBE_PORT: '9091',
      LOG_LEVEL: 'debug',
      BATCH_IDLE_DURATION: '2s',
      BATCH_MAX_DURATION: '30s',
      VM_MEMORY_OVERHEAD_PERCENT: '0.05',
      FEATURE_GATES: 'NodeRepair=false,ReservedCapacity=true,SpotToSpotConsolidation=true',
      DATABASE_URL: { secretKeyRef: { name: 'karpenter-ledger', key: 'url' } },
    });
    const service = findManifest(manifests, 'Service') as unknown as { spec: { ports: unknown[] } };
    expect(service.spec.ports).toEqual([{ name: 'http-metrics', port: 9090, targetPort: 'http-metrics', protocol: 'TCP' }]);
    expect(findManifest(manifests, 'PodDisruptionBudget')).toMatchObject({ spec: { maxUnavailable: '50%' } });
    for (const manifest of manifests) expect(manifest.metadata.labels, `${manifest.kind} labels`).toMatchObject({ team: 'platform' });
  });

  it('creates a ServiceMonitor for the metrics port when asked', async () => {
    const monitor = findManifest(await render(controllerChart, { valuesFiles: [valueSet('service-monitor')] }), 'ServiceMonitor');
    expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(monitor).toMatchObject({
      spec: {
        namespaceSelector: { matchNames: ['karpenter'] },
        endpoints: [{ port: 'http-metrics', path: '/metrics', interval: '30s' }],
      },
    });
  });

  it('names every object after the release, so two releases in one namespace do not collide', async () => {
    const names = async (release: string) =>
      (await render(controllerChart, { release, set: clusterName })).map((m) => `${m.kind}/${m.metadata.name}`).sort();
    const first = await names('karpenter');
    const second = await names('karpenter-canary');
    expect(first).toContain('PodDisruptionBudget/karpenter');
    expect(second).toContain('PodDisruptionBudget/karpenter-canary');
    expect(first.filter((name) => second.includes(name))).toEqual([]);
  });

  describe('rejects wrong values with a message naming the field', () => {
    it.each([
      ['no cluster name', {}, "at '/settings/clusterName': minLength"],
      ['an interruption queue ARN', { ...clusterName, 'settings.interruptionQueue': 'arn:aws:sqs:eu-west-1:111122223333:q' }, "at '/settings/interruptionQueue'"],
      ['an interruption queue URL', { ...clusterName, 'settings.interruptionQueue': 'https://sqs.eu-west-1.amazonaws.com/111122223333/q' }, "at '/settings/interruptionQueue'"],
      ['a misspelt setting', { ...clusterName, 'settings.clusterNmae': 'x' }, "additional properties 'clusterNmae' not allowed"],
      ['replicas as a word', { ...clusterName, replicas: 'two' }, "at '/replicas'"],
      ['zero replicas', { ...clusterName, replicas: 0 }, "at '/replicas'"],
      ['an unknown log level', { ...clusterName, logLevel: 'verbose' }, "at '/logLevel'"],
      ['a duration without unit', { ...clusterName, 'settings.batchIdleDuration': '1' }, "at '/settings/batchIdleDuration'"],
      ['an http endpoint', { ...clusterName, 'settings.clusterEndpoint': 'http://example.com' }, "at '/settings/clusterEndpoint'"],
      ['a memory overhead of 100%', { ...clusterName, 'settings.vmMemoryOverheadPercent': 1 }, "at '/settings/vmMemoryOverheadPercent'"],
      ['a feature gate that is not a boolean', { ...clusterName, 'settings.featureGates.spotToSpotConsolidation': 'yes' }, "at '/settings/featureGates/spotToSpotConsolidation'"],
      ['a feature gate the controller does not know', { ...clusterName, 'settings.featureGates.staticCapacity': true }, "additional properties 'staticCapacity' not allowed"],
      ['a database URL that is not PostgreSQL', { ...clusterName, 'settings.databaseUrl': 'mysql://db/ledger' }, "at '/settings/databaseUrl'"],
      ['a port out of range', { ...clusterName, 'controller.metrics.port': 70000 }, "at '/controller/metrics/port'"],
      ['metrics and health on one port', { ...clusterName, 'controller.healthProbe.port': 8080 }, 'controller.metrics.port and controller.healthProbe.port are both 8080'],
      ['an existing ServiceAccount without a name', { ...clusterName, 'serviceAccount.create': false }, 'serviceAccount.name is required when serviceAccount.create is false'],
    ] as const)('%s', async (_, set, message) => {
      expect(await renderError({ set })).toContain(message);
    });
  });

  describe('RBAC', () => {
    interface Rule {
      apiGroups: string[];
      resources: string[];
      verbs: string[];
      resourceNames?: string[];
    }
    const grants = (manifests: readonly Manifest[], kind: 'ClusterRole' | 'Role') =>
      ((findManifest(manifests, kind) as unknown as { rules: Rule[] }).rules ?? []).flatMap((rule) =>
        rule.apiGroups.flatMap((group) =>
          rule.resources.flatMap((resource) =>
            rule.verbs.flatMap((verb) => (rule.resourceNames ?? ['']).map((name) => `${group}/${resource}:${verb}${name && `@${name}`}`)),
          ),
        ),
      );
    const expected = (scope: string) =>
      controllerPermissions
        .filter((p) => p.scope === scope)
        .flatMap((p) => p.verbs.map((verb) => `${p.group}/${p.resource}:${verb}${p.resourceName ? `@${resourceNameFor(p, 'karpenter')}` : ''}`))
        .sort();

    it('grants exactly what the controller calls, without wildcards', async () => {
      const manifests = await render(controllerChart, { set: clusterName });
      const cluster = grants(manifests, 'ClusterRole');
      const namespaced = grants(manifests, 'Role');
      for (const grant of [...cluster, ...namespaced]) expect(grant).not.toContain('*');
      expect(cluster.sort()).toEqual(expected('cluster'));
      expect(namespaced.sort()).toEqual(expected('release-namespace'));
      expect(findManifest(manifests, 'Role').metadata.namespace).toBe('karpenter');
    });

    it('grants on exactly the resources the controller has a client for', () => {
      // Building the controller's clients sends no request; the server address is never used.
      const api = new KubernetesApi(new KubeClient({ server: 'https://127.0.0.1:1', authorization: async () => undefined }));
      const used = Object.values(api).map((client: ResourceClient<KubeObject>) => `${client.resource.group}/${client.resource.plural}`);
      expect(used.length).toBeGreaterThan(5);
      // Subresources (pods/eviction, …/status) ride on their resource.
      const granted = new Set(controllerPermissions.map((p) => `${p.group}/${p.resource.split('/')[0]}`));
      expect([...granted].sort()).toEqual([...new Set(used)].sort());
    });

    it('binds both roles to the chart ServiceAccount only', async () => {
      const manifests = await render(controllerChart, { set: { ...clusterName, 'serviceAccount.name': 'karpenter-controller' } });
      for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
        expect(findManifest(manifests, kind)).toMatchObject({ subjects: [{ kind: 'ServiceAccount', name: 'karpenter-controller', namespace: 'karpenter' }] });
      }
    });

    it('appends additionalClusterRoleRules', async () => {
      const manifests = await render(controllerChart, {
        set: { ...clusterName, 'additionalClusterRoleRules[0].apiGroups[0]': '', 'additionalClusterRoleRules[0].resources[0]': 'configmaps', 'additionalClusterRoleRules[0].verbs[0]': 'get' },
      });
      expect(grants(manifests, 'ClusterRole')).toContain('/configmaps:get');
    });
  });
});

describe.skipIf(!helmFound)('karpenter-ts-crd chart', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'karpenter-ts-crd-chart-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const sourceCrds = () =>
    readdirSync(crdSource)
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => parse(readFileSync(join(crdSource, file), 'utf8')) as Manifest)
      .filter((m) => m.kind === 'CustomResourceDefinition');

  /** The rendered CRD without what the chart adds (Helm labels, the keep policy). */
  function withoutChartMetadata(crd: Manifest): Manifest {
    const { labels, annotations, ...metadata } = crd.metadata;
    const ownLabels = Object.fromEntries(Object.entries(labels ?? {}).filter(([key]) => !key.startsWith('app.kubernetes.io/') && key !== 'helm.sh/chart'));
    const ownAnnotations = Object.fromEntries(Object.entries(annotations ?? {}).filter(([key]) => key !== 'helm.sh/resource-policy'));
    return {
      ...crd,
      metadata: { ...metadata, ...(Object.keys(ownLabels).length ? { labels: ownLabels } : {}), ...(Object.keys(ownAnnotations).length ? { annotations: ownAnnotations } : {}) },
    };
  }

  it('passes helm lint --strict', async () => {
    const result = await helm(['lint', '--strict', crdChart]);
    expect(result.stdout + result.stderr).toContain('0 chart(s) failed');
  });

  it('renders exactly the CRDs of packages/api/crds, kept on uninstall', async () => {
    const source = sourceCrds();
    expect(source.map((crd) => crd.metadata.name).sort()).toEqual(['ec2nodeclasses.karpenter.k8s.aws', 'nodeclaims.karpenter.sh', 'nodepools.karpenter.sh']);
    const rendered = await render(crdChart, { release: 'karpenter-crd' });
    for (const crd of rendered) {
      expect(crd.metadata.annotations).toMatchObject({ 'helm.sh/resource-policy': 'keep' });
      expect(crd.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': 'karpenter-crd' });
    }
    const byName = (list: Manifest[]) => [...list].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    expect(byName(rendered).map(withoutChartMetadata)).toEqual(byName(source));
  });

  it('packages the CRD files themselves, not the link to them', async () => {
    const packaged = await helm(['package', crdChart, '--destination', scratch]);
    expect(packaged.ok, packaged.stderr).toBe(true);
    const archive = readdirSync(scratch).find((file) => file.endsWith('.tgz'))!;
    const fromArchive = await render(join(scratch, archive), { release: 'karpenter-crd' });
    expect(fromArchive).toEqual(await render(crdChart, { release: 'karpenter-crd' }));
    expect(fromArchive.length).toBe(sourceCrds().length);
  });
});
