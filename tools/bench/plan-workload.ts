// A synthetic but realistic cluster for the plan benchmark: 5,000 pods in 100 workloads of
// mixed shapes (web tiers with zonal spread, spot batch, arm64 builds, memory-heavy services),
// 4 DaemonSets, and one NodePool per purpose that together allow the whole catalog.
import { stringify } from 'yaml';

const shapes = [
  { cpu: '250m', memory: '512Mi' },
  { cpu: '500m', memory: '1Gi' },
  { cpu: '1', memory: '2Gi' },
  { cpu: '2', memory: '4Gi' },
  { cpu: '1', memory: '8Gi' },
  { cpu: '4', memory: '16Gi' },
  { cpu: '100m', memory: '128Mi' },
  { cpu: '3', memory: '12Gi' },
];

function nodeClass(name: string) {
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name },
    spec: {
      role: 'KarpenterNodeRole-bench',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'bench' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'bench' } }],
    },
  };
}

function nodePool(name: string, requirements: object[], extra: object = {}) {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: { ...extra, template: { spec: { requirements, nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } } } },
  };
}

function daemonSet(name: string, cpu: string, memory: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system' },
    spec: { template: { spec: { tolerations: [{ operator: 'Exists' }], containers: [{ name, resources: { requests: { cpu, memory } } }] } } },
  };
}

/** The benchmark input as one multi-document YAML text. */
export function benchmarkManifests(totalPods = 5000, workloads = 100): string {
  const objects: object[] = [
    nodeClass('default'),
    // No requirement on family or size: every instance type of the catalog is a candidate.
    nodePool('on-demand', [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }], { weight: 50 }),
    nodePool('spot', [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }], {}),
    daemonSet('aws-node', '25m', '64Mi'),
    daemonSet('kube-proxy', '100m', '64Mi'),
    daemonSet('fluent-bit', '100m', '128Mi'),
    daemonSet('node-exporter', '50m', '64Mi'),
  ];
  const perWorkload = Math.floor(totalPods / workloads);
  for (let i = 0; i < workloads; i++) {
    const shape = shapes[i % shapes.length];
    const name = `app-${i}`;
    const kind = i % 10;
    const spec: Record<string, unknown> = { containers: [{ name: 'app', resources: { requests: shape } }] };
    if (kind < 3) {
      spec.topologySpreadConstraints = [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: name } } },
      ];
    } else if (kind < 6) {
      spec.nodeSelector = { 'karpenter.sh/capacity-type': 'spot' };
    } else if (kind === 6) {
      spec.nodeSelector = { 'kubernetes.io/arch': 'arm64' };
    } else if (kind === 7) {
      spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['r', 'x'] }] }],
          },
        },
      };
    }
    const replicas = i === workloads - 1 ? totalPods - perWorkload * (workloads - 1) : perWorkload;
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: `team-${i % 7}` },
      spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
    });
  }
  return objects.map((o) => stringify(o)).join('---\n');
}
