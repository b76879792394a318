import { describe, expect, it } from 'vitest';
import { input, node, nodePool, placements, pod } from '../test/fixtures.js';
import type { PodAffinityTerm, TopologySpreadConstraint } from './kubernetes.js';
import { schedule } from './scheduler.js';

const zone = 'topology.kubernetes.io/zone';
const hostname = 'kubernetes.io/hostname';
const web = { app: 'web' };

function spread(topologyKey: string, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint[] {
  return [{ maxSkew: 1, topologyKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: web }, ...extra }];
}

function term(topologyKey: string, labels: Record<string, string>): PodAffinityTerm {
  return { topologyKey, labelSelector: { matchLabels: labels } };
}

const replicas = (n: number, shape: Parameters<typeof pod>[1]) => Array.from({ length: n }, (_, i) => pod(`web-${i}`, { labels: web, ...shape }));
const zonesOf = (result: ReturnType<typeof schedule>) => result.nodeClaims.map((c) => c.zones.join(','));

describe('topology spread', () => {
  it('spreads across zones with maxSkew 1', () => {
    const result = schedule(input({ pods: replicas(6, { cpu: '100m', topologySpreadConstraints: spread(zone) }) }));
    expect(result.unschedulable).toEqual([]);
    const perZone: Record<string, number> = {};
    for (const claim of result.nodeClaims) perZone[claim.zones.join()] = (perZone[claim.zones.join()] ?? 0) + claim.pods.length;
    expect(perZone).toEqual({ 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 });
  });

  it('counts pods already running and fills the emptiest zone first', () => {
    const existing = [
      node('n-a', { cpu: 1, memoryGiB: 1, labels: { [zone]: 'zone-a' }, pods: [pod('old-a', { labels: web })] }),
      node('n-b', { cpu: 1, memoryGiB: 1, labels: { [zone]: 'zone-b' }, pods: [pod('old-b', { labels: web })] }),
    ];
    const result = schedule(input({ pods: replicas(1, { topologySpreadConstraints: spread(zone) }), nodes: existing }));
    expect(zonesOf(result)).toEqual(['zone-c']);
  });

  it('puts each pod on its own node with a hostname spread', () => {
    const result = schedule(input({ pods: replicas(3, { cpu: '100m', topologySpreadConstraints: spread(hostname) }) }));
    expect(result.nodeClaims.map((c) => c.pods.length)).toEqual([1, 1, 1]);
  });

  it('treats the global minimum as 0 while fewer than minDomains domains exist', () => {
    const twoZones = nodePool('default', { requirements: [{ key: zone, operator: 'In', values: ['zone-a', 'zone-b'] }] });
    const result = schedule(input({ pods: replicas(3, { cpu: '100m', topologySpreadConstraints: spread(zone, { minDomains: 3 }) }), nodePools: [twoZones] }));
    expect(zonesOf(result).sort()).toEqual(['zone-a', 'zone-b']);
    expect(result.unschedulable).toHaveLength(1);
    expect(result.unschedulable[0].reasons).toEqual(['nodepool default: topology spread (maxSkew 1) on topology.kubernetes.io/zone cannot be satisfied']);
    const without = schedule(input({ pods: replicas(3, { cpu: '100m', topologySpreadConstraints: spread(zone) }), nodePools: [twoZones] }));
    expect(without.unschedulable).toEqual([]);
  });

  it('relaxes ScheduleAnyway spreads but not DoNotSchedule ones', () => {
    const inZoneA = { nodeSelector: { [zone]: 'zone-a' }, cpu: '100m' };
    // nodeAffinityPolicy Ignore keeps zones b and c in the count, so zone-a may hold only one pod.
    const hard = schedule(input({ pods: replicas(2, { ...inZoneA, topologySpreadConstraints: spread(zone, { nodeAffinityPolicy: 'Ignore' }) }) }));
    expect(hard.unschedulable).toHaveLength(1);
    const soft = schedule(input({ pods: replicas(2, { ...inZoneA, topologySpreadConstraints: spread(zone, { nodeAffinityPolicy: 'Ignore', whenUnsatisfiable: 'ScheduleAnyway' }) }) }));
    expect(soft.unschedulable).toEqual([]);
    expect(zonesOf(soft)).toEqual(['zone-a']);
    expect(soft.nodeClaims[0].pods).toHaveLength(2);
  });

  it('honors node affinity when counting domains by default', () => {
    const result = schedule(input({ pods: replicas(2, { nodeSelector: { [zone]: 'zone-a' }, cpu: '100m', topologySpreadConstraints: spread(zone) }) }));
    expect(result.unschedulable).toEqual([]);
    expect(zonesOf(result)).toEqual(['zone-a']);
  });

  it('ignores domains of untolerated taints only with nodeTaintsPolicy Honor', () => {
    const pools = [
      nodePool('open', { requirements: [{ key: zone, operator: 'In', values: ['zone-a', 'zone-b'] }] }),
      nodePool('tainted', { requirements: [{ key: zone, operator: 'In', values: ['zone-c'] }], taints: [{ key: 'reserved', effect: 'NoSchedule' }] }),
    ];
    const ignore = schedule(input({ pods: replicas(4, { cpu: '100m', topologySpreadConstraints: spread(zone) }), nodePools: pools }));
    expect(ignore.unschedulable).toHaveLength(2); // zone-c stays at 0, so a and b may hold one each
    const honor = schedule(input({ pods: replicas(4, { cpu: '100m', topologySpreadConstraints: spread(zone, { nodeTaintsPolicy: 'Honor' }) }), nodePools: pools }));
    expect(honor.unschedulable).toEqual([]);
  });

  it('counts only the same revision with matchLabelKeys', () => {
    const old = node('n-a', { cpu: 4, memoryGiB: 8, labels: { [zone]: 'zone-a' }, pods: [pod('old', { labels: { ...web, 'pod-template-hash': 'v1' } })] });
    const next = (keys?: string[]) =>
      pod('new', { labels: { ...web, 'pod-template-hash': 'v2' }, cpu: '100m', topologySpreadConstraints: spread(zone, { matchLabelKeys: keys }) });
    expect(placements(schedule(input({ pods: [next(['pod-template-hash'])], nodes: [old] })))).toEqual({ new: 'n-a' });
    const counted = schedule(input({ pods: [next()], nodes: [old] }));
    expect(counted.existingPlacements).toEqual([]);
    expect(zonesOf(counted)).toEqual(['zone-b']);
  });

  it('places a pod in the zone of its volume even with a zonal spread (upstream pain point)', () => {
    const existing = [
      node('n-b', { cpu: 1, memoryGiB: 1, labels: { [zone]: 'zone-b' }, pods: [pod('db-1', { labels: web })] }),
      node('n-c', { cpu: 1, memoryGiB: 1, labels: { [zone]: 'zone-c' }, pods: [pod('db-2', { labels: web })] }),
    ];
    const withVolume = (claimName: string) =>
      pod('db-0', { labels: web, topologySpreadConstraints: spread(zone), volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] });
    const volumeZones = { 'default/data-a': ['zone-a'], 'default/data-b': ['zone-b'] };
    expect(zonesOf(schedule(input({ pods: [withVolume('data-a')], nodes: existing, volumeZones })))).toEqual(['zone-a']);
    // The volume pins zone-b, where the spread would be broken: a clear reason, no node launched.
    const stuck = schedule(input({ pods: [withVolume('data-b')], nodes: existing, volumeZones }));
    expect(stuck.nodeClaims).toEqual([]);
    expect(stuck.unschedulable[0].reasons).toEqual(['nodepool default: topology spread (maxSkew 1) on topology.kubernetes.io/zone cannot be satisfied']);
  });
});

describe('pod affinity and anti-affinity', () => {
  it('keeps replicas apart with hostname anti-affinity', () => {
    const result = schedule(input({ pods: replicas(3, { cpu: '100m', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(hostname, web)] } } }) }));
    expect(result.nodeClaims.map((c) => c.pods.length)).toEqual([1, 1, 1]);
  });

  it('follows pods it has affinity to into their zone', () => {
    const cache = node('n-b', { cpu: 1, memoryGiB: 1, labels: { [zone]: 'zone-b' }, pods: [pod('cache', { labels: { app: 'cache' } })] });
    const result = schedule(input({ pods: [pod('web', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(zone, { app: 'cache' })] } } })], nodes: [cache] }));
    expect(zonesOf(result)).toEqual(['zone-b']);
  });

  it('cannot follow pods that do not exist, unless it matches its own term', () => {
    const lonely = schedule(input({ pods: [pod('web', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(zone, { app: 'cache' })] } } })] }));
    expect(lonely.unschedulable[0].reasons).toEqual(['nodepool default: pod affinity on topology.kubernetes.io/zone cannot be satisfied']);
    const self = schedule(input({ pods: replicas(3, { cpu: '100m', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(zone, web)] } } }) }));
    expect(self.unschedulable).toEqual([]);
    expect(new Set(self.nodeClaims.map((c) => c.zones.join())).size).toBe(1);
  });

  it('co-locates on a hostname with affinity', () => {
    const result = schedule(input({
      pods: [pod('db', { labels: { app: 'db' }, cpu: '2' }), pod('sidecar', { cpu: '100m', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(hostname, { app: 'db' })] } } })],
    }));
    expect(result.nodeClaims.map((c) => c.pods.map((p) => p.name))).toEqual([['db', 'sidecar']]);
  });

  it('respects the anti-affinity of pods already running (symmetry)', () => {
    const guard = pod('guard', { labels: { app: 'guard' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(hostname, web)] } } });
    const n1 = node('n1', { cpu: 4, memoryGiB: 8, labels: { [zone]: 'zone-a' }, pods: [guard] });
    const result = schedule(input({ pods: [pod('web', { labels: web, cpu: '100m' })], nodes: [n1] }));
    expect(result.existingPlacements).toEqual([]);
    expect(result.nodeClaims).toHaveLength(1);
    const other = schedule(input({ pods: [pod('api', { labels: { app: 'api' }, cpu: '100m' })], nodes: [n1] }));
    expect(placements(other)).toEqual({ api: 'n1' });
  });

  it('selects namespaces of terms by name or namespaceSelector', () => {
    const n1 = node('n1', { cpu: 4, memoryGiB: 8, labels: { [zone]: 'zone-a' }, pods: [pod('cache', { labels: { app: 'cache' }, namespace: 'shared' })] });
    const follow = (t: PodAffinityTerm) => pod('web', { cpu: '100m', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } } });
    expect(schedule(input({ pods: [follow(term(hostname, { app: 'cache' }))], nodes: [n1] })).unschedulable).toHaveLength(1);
    expect(placements(schedule(input({ pods: [follow({ ...term(hostname, { app: 'cache' }), namespaces: ['shared'] })], nodes: [n1] })))).toEqual({ web: 'n1' });
    const bySelector = { ...term(hostname, { app: 'cache' }), namespaceSelector: { matchLabels: { tier: 'platform' } } };
    const result = schedule(input({ pods: [follow(bySelector)], nodes: [n1], namespaceLabels: { shared: { tier: 'platform' } } }));
    expect(placements(result)).toEqual({ web: 'n1' });
  });

  it('gives up preferred anti-affinity when it cannot be met', () => {
    const prefer = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term(hostname, web) }] } };
    const n1 = node('n1', { cpu: 4, memoryGiB: 8, labels: { [zone]: 'zone-a' }, pods: [pod('old', { labels: web })] });
    // Prefers another node, so a new claim is opened while one can be.
    expect(placements(schedule(input({ pods: [pod('web', { labels: web, cpu: '100m', affinity: prefer })], nodes: [n1] })))).toEqual({ web: 'default-1' });
    // With no NodePool room it lands next to the other replica rather than staying pending.
    const full = nodePool('default', { limits: { cpu: '0' } });
    expect(placements(schedule(input({ pods: [pod('web', { labels: web, cpu: '100m', affinity: prefer })], nodes: [n1], nodePools: [full] })))).toEqual({ web: 'n1' });
  });
});

describe('topology keys without values', () => {
  it('lets anti-affinity hold but not spread on a label nodes will not carry', () => {
    const rack = 'example.com/rack';
    const anti = schedule(input({ pods: replicas(2, { cpu: '100m', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(rack, web)] } } }) }));
    expect(anti.unschedulable).toEqual([]);
    const spreadOnRack = schedule(input({ pods: replicas(1, { topologySpreadConstraints: spread(rack) }) }));
    expect(spreadOnRack.unschedulable[0].reasons).toEqual(['nodepool default: nodes have no example.com/rack label for topology spread (maxSkew 1) on example.com/rack']);
  });
});
