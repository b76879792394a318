import { describe, expect, it } from 'vitest';
import { catalog, GiB, input, instanceType, node, nodePool, placements, pod } from '../test/fixtures.js';
import { podRequests } from './resources.js';
import { schedule } from './scheduler.js';
import type { DaemonSet } from './kubernetes.js';

const names = (result: ReturnType<typeof schedule>, claim = 0) => result.nodeClaims[claim].instanceTypes.map((t) => t.name);

function daemonSet(name: string, spec: { cpu?: string; tolerations?: unknown[]; nodeSelector?: Record<string, string>; hostPort?: number }): DaemonSet {
  return {
    metadata: { name, namespace: 'kube-system' },
    spec: {
      template: {
        spec: {
          tolerations: spec.tolerations as never,
          nodeSelector: spec.nodeSelector,
          containers: [
            { name, resources: { requests: { cpu: spec.cpu ?? '1' } }, ports: spec.hostPort ? [{ containerPort: spec.hostPort, hostPort: spec.hostPort }] : undefined },
          ],
        },
      },
    },
  };
}

describe('schedule: new NodeClaims', () => {
  it('opens one NodeClaim with every fitting instance type, cheapest first', () => {
    const result = schedule(input({ pods: [pod('a')] }));
    expect(result.unschedulable).toEqual([]);
    expect(result.nodeClaims).toHaveLength(1);
    const [claim] = result.nodeClaims;
    expect(names(result)).toEqual(['m.2', 'm.4', 'm.8', 'm.16']);
    expect(claim.price).toBeCloseTo(0.07); // spot, 70 % of 0.10
    expect(claim.capacityTypes).toEqual(['on-demand', 'spot']);
    expect(claim.zones).toEqual(['zone-a', 'zone-b', 'zone-c']);
    expect(claim.requests).toEqual({ cpu: 1000, memory: GiB, pods: 1 });
    expect(claim.labels['karpenter.sh/nodepool']).toBe('default');
    expect(claim.requirements).toContainEqual({ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m.16', 'm.2', 'm.4', 'm.8'] });
  });

  it('packs pods onto one claim while an instance type fits them all', () => {
    const result = schedule(input({ pods: [pod('a', { cpu: '1500m' }), pod('b', { cpu: '1500m' }), pod('c', { cpu: '1500m' })] }));
    expect(result.nodeClaims).toHaveLength(1);
    expect(names(result)).toEqual(['m.8', 'm.16']);
    expect(result.nodeClaims[0].requests.cpu).toBe(4500);
  });

  it('grows the claim whose price rises least when a pod fits in no free room', () => {
    const types = [2, 3, 4, 8].map((cpu) => instanceType(`m.${cpu}`, { cpu, memoryGiB: cpu * 2, price: cpu * 0.05 }));
    const apart = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'a' } } }] } };
    const pods = [
      pod('cpu-heavy', { cpu: '1900m', memory: '512Mi', labels: { app: 'a' }, affinity: apart }),
      pod('memory-heavy', { cpu: '1300m', memory: '3900Mi', labels: { app: 'a' }, affinity: apart }),
      pod('filler', { cpu: '1200m', memory: '200Mi' }),
    ];
    const result = schedule({ pods, nodePools: [nodePool('default')], instanceTypes: { default: types } });
    // With cpu-heavy it would need an m.4; with memory-heavy an m.3 is enough.
    expect(placements(result).filler).toBe(placements(result)['memory-heavy']);
    expect(result.nodeClaims.map((c) => c.instanceTypes[0].name)).toEqual(['m.2', 'm.3']);
  });

  it('counts init containers, sidecars and pod overhead like kube-scheduler', () => {
    const p = pod('a', {
      overhead: { cpu: '250m' },
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } },
        { name: 'migrate', resources: { requests: { cpu: '3' } } },
      ],
      containers: [{ name: 'app', resources: { requests: { cpu: '1', memory: '1Gi' } } }],
    });
    // max(app 1 + sidecar 0.5, init 3 + sidecar 0.5) + overhead 0.25
    expect(podRequests(p).cpu).toBe(3750);
    const result = schedule(input({ pods: [p] }));
    expect(result.nodeClaims[0].requests.cpu).toBe(3750);
    expect(names(result)[0]).toBe('m.4');
  });

  it('defaults a missing request to the limit', () => {
    expect(podRequests(pod('a', { containers: [{ resources: { limits: { cpu: '2' } } }] })).cpu).toBe(2000);
  });

  it('truncates the instance types but keeps minValues', () => {
    const types = ['f1', 'f2', 'f3'].flatMap((family, f) =>
      [1, 2, 3].map((size) => instanceType(`${family}.${size}`, { cpu: 2 * size, memoryGiB: 4 * size, price: (f + 1) * size, labels: { 'karpenter.k8s.aws/instance-family': family } })),
    );
    const pool = nodePool('default', { requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'Exists', minValues: 3 }] });
    const result = schedule({ pods: [pod('a')], nodePools: [pool], instanceTypes: { default: types }, options: { maxInstanceTypes: 2 } });
    expect(names(result)).toEqual(['f1.1', 'f1.2', 'f2.1', 'f3.1']);
    const plain = schedule({ pods: [pod('a')], nodePools: [nodePool('default')], instanceTypes: { default: types }, options: { maxInstanceTypes: 2 } });
    expect(names(plain)).toEqual(['f1.1', 'f1.2']);
    // A pod pinned to one family cannot satisfy minValues 3.
    const big = schedule({ pods: [pod('big', { nodeSelector: { 'karpenter.k8s.aws/instance-family': 'f1' } })], nodePools: [pool], instanceTypes: { default: types } });
    expect(big.unschedulable[0].reasons).toEqual(['nodepool default: fewer instance types than minValues require fit the pod (karpenter.k8s.aws/instance-family minValues 3)']);
  });

  it('is deterministic', () => {
    const i = input({ pods: Array.from({ length: 30 }, (_, n) => pod(`p${n}`, { cpu: `${(n % 4) + 1}00m`, labels: { app: 'x' }, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'x' } } }] })) });
    expect(schedule(i)).toEqual(schedule(i));
  });
});

describe('schedule: node selection', () => {
  it('explains a label no pool defines (upstream pain point)', () => {
    const result = schedule(input({ pods: [pod('a', { nodeSelector: { team: 'payments' } })] }));
    expect(result.unschedulable).toEqual([
      { pod: { namespace: 'default', name: 'a', uid: 'uid-a' }, reasons: ['nodepool default: label "team" has no known values (add it to the NodePool\'s requirements or template labels)'] },
    ]);
    const labelled = schedule(input({ pods: [pod('a', { nodeSelector: { team: 'payments' } })], nodePools: [nodePool('default', { labels: { team: 'payments' } })] }));
    expect(labelled.nodeClaims[0].labels.team).toBe('payments');
  });

  it('explains a well-known label no instance type offers', () => {
    const result = schedule(input({ pods: [pod('a', { nodeSelector: { 'kubernetes.io/arch': 'arm64' } })] }));
    expect(result.unschedulable[0].reasons).toEqual(['nodepool default: no instance type matches kubernetes.io/arch in [arm64]']);
  });

  it('tries the OR terms of required node affinity', () => {
    const p = pod('a', {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
              { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] }] },
            ],
          },
        },
      },
    });
    const result = schedule(input({ pods: [p] }));
    expect(result.nodeClaims[0].zones).toEqual(['zone-b']);
  });

  it('applies the heaviest preferred node affinity that can be met', () => {
    const prefer = (weight: number, values: string[], key = 'topology.kubernetes.io/zone') => ({ weight, preference: { matchExpressions: [{ key, operator: 'In', values }] } });
    const p = pod('a', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [prefer(10, ['zone-c']), prefer(90, ['zone-b'])] } } });
    expect(schedule(input({ pods: [p] })).nodeClaims[0].zones).toEqual(['zone-b']);
    const impossible = pod('b', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [prefer(90, ['arm64'], 'kubernetes.io/arch'), prefer(10, ['zone-c'])] } } });
    expect(schedule(input({ pods: [impossible] })).nodeClaims[0].zones).toEqual(['zone-c']);
  });

  it('does not treat preferred pod affinity as required (upstream pain point)', () => {
    const p = pod('a', {
      labels: { app: 'web' },
      affinity: {
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'cache' } } } },
          ],
        },
        nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-c'] }] } }] },
      },
    });
    const result = schedule(input({ pods: [p] }));
    expect(result.unschedulable).toEqual([]);
    // Pod affinity is given up before preferred node affinity, so zone-c still holds.
    expect(result.nodeClaims[0].zones).toEqual(['zone-c']);
  });

  it('places pods on existing nodes with room before opening claims, and skips cordoned nodes', () => {
    const room = node('n1', { cpu: 4, memoryGiB: 8, labels: { 'topology.kubernetes.io/zone': 'zone-a' }, pods: [pod('old', { cpu: '3' })] });
    const result = schedule(input({ pods: [pod('small', { cpu: '500m' }), pod('big', { cpu: '2' })], nodes: [room] }));
    expect(placements(result)).toEqual({ small: 'n1', big: 'default-1' });
    const cordoned = { ...room, node: { ...room.node, spec: { unschedulable: true } } };
    expect(placements(schedule(input({ pods: [pod('small', { cpu: '500m' })], nodes: [cordoned] })))).toEqual({ small: 'default-1' });
  });

  it('selects instance types by numeric labels (Gt, Lte)', () => {
    const p = pod('a', {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['2'] }, { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lte', values: ['8'] }] }],
          },
        },
      },
    });
    expect(names(schedule(input({ pods: [p] })))).toEqual(['m.4', 'm.8']);
  });

  it('assumes the smallest possible type for an in-flight NodeClaim not launched yet', () => {
    const inFlight = {
      nodeClaim: {
        metadata: { name: 'default-new', labels: { 'karpenter.sh/nodepool': 'default' } },
        spec: { requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m.2', 'm.4'] }] },
      },
      pods: [pod('nominated', { cpu: '1' })],
    };
    // m.2 leaves 1 cpu after the nominated pod: a 1-cpu pod fits, a 2-cpu pod does not.
    const result = schedule(input({ pods: [pod('small', { cpu: '1' }), pod('big', { cpu: '2' })], nodeClaims: [inFlight] }));
    expect(placements(result)).toEqual({ small: 'default-new', big: 'default-1' });
  });

  it('uses in-flight NodeClaims', () => {
    const inFlight = {
      nodeClaim: {
        metadata: { name: 'default-abc', labels: { 'karpenter.sh/nodepool': 'default' } },
        spec: { requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m.4'] }], resources: { requests: { cpu: '1' } } },
        status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
      },
    };
    const result = schedule(input({ pods: [pod('a', { cpu: '2' }), pod('b', { cpu: '2' })], nodeClaims: [inFlight] }));
    expect(result.existingPlacements).toEqual([{ kind: 'nodeclaim', name: 'default-abc', pods: [{ namespace: 'default', name: 'a', uid: 'uid-a' }] }]);
    expect(result.nodeClaims).toHaveLength(1);
  });
});

describe('schedule: taints', () => {
  const gpuTaint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

  it('names the taint a pod does not tolerate', () => {
    const result = schedule(input({ pods: [pod('a')], nodePools: [nodePool('gpu', { taints: [gpuTaint] })] }));
    expect(result.unschedulable[0].reasons).toEqual(['nodepool gpu: taint dedicated=gpu:NoSchedule not tolerated']);
    const tolerant = schedule(input({ pods: [pod('a', { tolerations: [{ key: 'dedicated', operator: 'Exists' }] })], nodePools: [nodePool('gpu', { taints: [gpuTaint] })] }));
    expect(tolerant.nodeClaims[0].taints).toEqual([gpuTaint]);
  });

  it('does not require tolerating startup taints', () => {
    const startup = { key: 'node.cilium.io/agent-not-ready', effect: 'NoExecute' };
    const result = schedule(input({ pods: [pod('a')], nodePools: [nodePool('default', { startupTaints: [startup] })] }));
    expect(result.nodeClaims[0].startupTaints).toEqual([startup]);
  });

  it('avoids PreferNoSchedule pools while another pool fits, and uses them as a last resort', () => {
    const soft = nodePool('soft', { weight: 100, taints: [{ key: 'spot-only', effect: 'PreferNoSchedule' }] });
    expect(schedule(input({ pods: [pod('a')], nodePools: [soft, nodePool('plain', { weight: 1 })] })).nodeClaims[0].nodePool).toBe('plain');
    expect(schedule(input({ pods: [pod('a')], nodePools: [soft] })).nodeClaims[0].nodePool).toBe('soft');
  });
});

describe('schedule: NodePools, resources and limits', () => {
  it('follows NodePool weight and falls back when the heavier pool cannot fit (upstream pain point)', () => {
    const small = nodePool('small', { weight: 100 });
    const result = schedule({
      pods: [pod('tiny', { cpu: '1' }), pod('huge', { cpu: '15500m' })],
      nodePools: [nodePool('general', { weight: 10 }), small],
      instanceTypes: { small: [catalog()[0]], general: catalog() },
    });
    expect(result.unschedulable).toEqual([]);
    const byPod = Object.fromEntries(result.nodeClaims.flatMap((c) => c.pods.map((p) => [p.name, c.nodePool])));
    expect(byPod).toEqual({ tiny: 'small', huge: 'general' });
  });

  it('enforces NodePool limits and says which', () => {
    const pool = nodePool('default', { limits: { cpu: '4' } });
    // Bigger pods go first: b opens a claim that may become an m.4, which reserves all 4 cpu.
    const result = schedule(input({ pods: [pod('a', { cpu: '1' }), pod('b', { cpu: '3500m' })], nodePools: [pool] }));
    expect(names(result)).toEqual(['m.4']);
    expect(result.unschedulable).toEqual([{ pod: { namespace: 'default', name: 'a', uid: 'uid-a' }, reasons: ['nodepool default: limit cpu 4 reached'] }]);
    // A small first pod keeps the claim open to m.2 or m.4, still reserving 4 cpu.
    const small = schedule(input({ pods: [pod('a', { cpu: '1' }), pod('c', { cpu: '1' })], nodePools: [pool] }));
    expect(small.nodeClaims.map((c) => c.instanceTypes.map((t) => t.name))).toEqual([['m.2', 'm.4']]);
  });

  it('counts existing nodes against the limits', () => {
    const existing = node('n1', { cpu: 16, memoryGiB: 32, labels: { 'karpenter.sh/nodepool': 'default' }, pods: [pod('busy', { cpu: '16' })] });
    const result = schedule(input({ pods: [pod('a')], nodes: [existing], nodePools: [nodePool('default', { limits: { cpu: '17' } })] }));
    expect(result.unschedulable[0].reasons).toEqual(['nodepool default: limit cpu 17 reached']);
  });

  it('enforces a limit on the number of nodes', () => {
    const pool = nodePool('default', { limits: { nodes: '1' } });
    const apart = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'a' } } }] } };
    const result = schedule(input({ pods: [pod('a1', { labels: { app: 'a' }, affinity: apart }), pod('a2', { labels: { app: 'a' }, affinity: apart })], nodePools: [pool] }));
    expect(result.nodeClaims).toHaveLength(1);
    expect(result.unschedulable[0].reasons).toEqual(['nodepool default: limit nodes 1 reached']);
  });

  it('counts a NodeClaim not launched yet against the limits as its largest possible type', () => {
    const inFlight = {
      nodeClaim: {
        metadata: { name: 'default-new', labels: { 'karpenter.sh/nodepool': 'default' } },
        spec: { requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m.2', 'm.8'] }] },
      },
      pods: [pod('nominated', { cpu: '1500m' })],
    };
    const pool = nodePool('default', { limits: { cpu: '10' } });
    // 10 − 8 leaves room for an m.2 only.
    const result = schedule(input({ pods: [pod('a', { cpu: '1' })], nodeClaims: [inFlight], nodePools: [pool] }));
    expect(result.nodeClaims.map((c) => c.instanceTypes.map((t) => t.name))).toEqual([['m.2']]);
  });

  it('schedules extended resources only on types that have them', () => {
    const gpu = instanceType('g.8', { cpu: 8, memoryGiB: 32, price: 3, extra: { 'nvidia.com/gpu': 1 } });
    const p = pod('train', { extra: { 'nvidia.com/gpu': '1' } });
    expect(names(schedule({ pods: [p], nodePools: [nodePool('default')], instanceTypes: { default: [...catalog(), gpu] } }))).toEqual(['g.8']);
    const none = schedule(input({ pods: [p] }));
    expect(none.unschedulable[0].reasons).toEqual(['nodepool default: no instance type has 1 nvidia.com/gpu after overhead (largest: 0)']);
  });

  it('respects max pods per node', () => {
    const tight = instanceType('t.8', { cpu: 8, memoryGiB: 16, price: 1, pods: 2 });
    const pods = Array.from({ length: 5 }, (_, i) => pod(`p${i}`, { cpu: '100m', memory: '64Mi' }));
    const result = schedule({ pods, nodePools: [nodePool('default')], instanceTypes: { default: [tight] } });
    expect(result.nodeClaims.map((c) => c.pods.length)).toEqual([2, 2, 1]);
  });

  it('says which resource no instance type has', () => {
    const result = schedule(input({ pods: [pod('big', { cpu: '96' })] }));
    expect(result.unschedulable[0].reasons).toEqual(['nodepool default: no instance type has 96 cpu after overhead (largest: 16)']);
  });

  it('gives one reason per NodePool', () => {
    const result = schedule({
      pods: [pod('big', { cpu: '12' })],
      nodePools: [nodePool('gpu', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }), nodePool('small')],
      instanceTypes: { gpu: catalog(), small: catalog().slice(0, 2) },
    });
    expect(result.unschedulable[0].reasons).toEqual(['nodepool gpu: taint gpu:NoSchedule not tolerated', 'nodepool small: no instance type has 12 cpu after overhead (largest: 4)']);
  });
});

describe('schedule: DaemonSets', () => {
  it('adds the overhead of daemons that land on the node', () => {
    const result = schedule(input({ pods: [pod('a', { cpu: '1500m' })], daemonSets: [daemonSet('agent', { cpu: '1' })] }));
    expect(names(result)[0]).toBe('m.4');
    expect(result.nodeClaims[0].daemonOverhead.cpu).toBe(1000);
    expect(result.nodeClaims[0].requests.cpu).toBe(2500);
  });

  it('counts only daemons that tolerate a tainted pool (upstream pain point)', () => {
    const pool = nodePool('gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    const daemons = [
      daemonSet('everywhere', { cpu: '1', tolerations: [{ operator: 'Exists' }] }),
      daemonSet('untolerant', { cpu: '1' }),
      daemonSet('arm-only', { cpu: '1', tolerations: [{ operator: 'Exists' }], nodeSelector: { 'kubernetes.io/arch': 'arm64' } }),
    ];
    const p = pod('a', { cpu: '1500m', tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
    const result = schedule(input({ pods: [p], nodePools: [pool], daemonSets: daemons }));
    expect(result.nodeClaims[0].daemonOverhead.cpu).toBe(1000);
    expect(names(result)[0]).toBe('m.4'); // 1.5 + 1 does not fit m.2
  });

  it('explains a hostPort taken by a DaemonSet instead of scaling up forever (upstream pain point)', () => {
    const result = schedule(input({ pods: [pod('exporter', { hostPort: 9100 })], daemonSets: [daemonSet('node-exporter', { cpu: '100m', hostPort: 9100 })] }));
    expect(result.nodeClaims).toEqual([]);
    expect(result.unschedulable[0].reasons).toEqual(['nodepool default: host port 9100/TCP is taken by DaemonSet kube-system/node-exporter']);
  });

  it('keeps pods with the same hostPort on different nodes', () => {
    const result = schedule(input({ pods: [pod('a', { hostPort: 8080, cpu: '100m' }), pod('b', { hostPort: 8080, cpu: '100m' }), pod('c', { hostPort: 8081, cpu: '100m' })] }));
    expect(result.nodeClaims.map((c) => c.pods.map((p) => p.name))).toEqual([['a', 'c'], ['b']]);
  });
});

describe('schedule: bad input', () => {
  it('reports an invalid quantity with its field and keeps scheduling the rest', () => {
    const result = schedule(input({ pods: [pod('bad', { cpu: 'lots' }), pod('good')] }));
    expect(result.problems).toEqual([{ object: 'pod default/bad', field: 'spec.containers[0].resources.requests.cpu', message: expect.stringMatching(/"lots" is not a quantity/) }]);
    expect(result.unschedulable.map((u) => u.pod.name)).toEqual(['bad']);
    expect(result.nodeClaims[0].pods.map((p) => p.name)).toEqual(['good']);
  });

  it('reports an invalid NodePool and uses the others', () => {
    const broken = nodePool('broken', { weight: 100, requirements: [{ key: 'kubernetes.io/arch', operator: 'Equals', values: ['amd64'] }] });
    const result = schedule(input({ pods: [pod('a')], nodePools: [broken, nodePool('default')] }));
    expect(result.problems).toEqual([{ object: 'nodepool broken', field: 'spec.template.spec.requirements', message: expect.stringMatching(/operator "Equals"/) }]);
    expect(result.nodeClaims[0].nodePool).toBe('default');
  });

  it('says so when there is no NodePool', () => {
    expect(schedule({ pods: [pod('a')], nodePools: [], instanceTypes: {} }).unschedulable[0].reasons).toEqual(['no NodePool can be used (none given, or all invalid)']);
  });
});

describe('schedule: bad selectors', () => {
  it('reports a pod whose affinity has an invalid label selector operator', () => {
    const bad = pod('bad', {
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['x'] }] } }] } },
    });
    const result = schedule(input({ pods: [bad, pod('good')] }));
    expect(result.problems).toEqual([{ object: 'pod default/bad', field: 'spec.affinity', message: expect.stringMatching(/operator "Equals"/) }]);
    expect(result.unschedulable.map((u) => u.pod.name)).toEqual(['bad']);
    expect(result.nodeClaims[0].pods.map((p) => p.name)).toEqual(['good']);
  });
});
