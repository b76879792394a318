import { describe, expect, it } from 'vitest';
import { catalog, instanceType, node, nodePool, pod } from '../test/fixtures.js';
import type { ConsolidationInput } from './consolidation.js';
import { evaluateConsolidation, evictionCost, rankConsolidationCandidates } from './consolidation.js';
import type { ClusterNode, Pod } from './index.js';

function managed(name: string, type: string, cpu: number, pods: Pod[], capacityType = 'on-demand'): ClusterNode {
  return node(name, {
    cpu,
    memoryGiB: cpu * 2,
    pods,
    labels: {
      'karpenter.sh/nodepool': 'default',
      'node.kubernetes.io/instance-type': type,
      'topology.kubernetes.io/zone': 'zone-a',
      'karpenter.sh/capacity-type': capacityType,
    },
  });
}

function cluster(nodes: ClusterNode[], candidates: string[], extra: Partial<ConsolidationInput> = {}): ConsolidationInput {
  return { nodes, candidates, nodePools: [nodePool('default')], instanceTypes: { default: catalog() }, ...extra };
}

describe('evaluateConsolidation', () => {
  it('deletes an empty node (DaemonSet pods do not count)', () => {
    const empty = managed('n1', 'm.4', 4, [pod('agent', { ownerKind: 'DaemonSet' })]);
    expect(evaluateConsolidation(cluster([empty], ['n1']))).toEqual({ action: 'delete', candidates: ['n1'], savingsPerHour: 0.2, reason: 'empty' });
  });

  it('deletes a node whose pods fit on the others', () => {
    const nodes = [managed('n1', 'm.4', 4, [pod('a', { cpu: '1' })]), managed('n2', 'm.4', 4, [pod('b', { cpu: '1' })])];
    const decision = evaluateConsolidation(cluster(nodes, ['n1']));
    expect(decision).toMatchObject({ action: 'delete', savingsPerHour: 0.2, reason: 'pods fit on the remaining nodes' });
  });

  it('replaces a node with one strictly cheaper', () => {
    const decision = evaluateConsolidation(cluster([managed('n1', 'm.8', 8, [pod('a', { cpu: '1' })])], ['n1']));
    expect(decision.action).toBe('replace');
    if (decision.action !== 'replace') return;
    // m.8 stays as an option: its spot offering (0.28) is cheaper than the on-demand node (0.40).
    expect(decision.replacement.instanceTypes.map((t) => t.name)).toEqual(['m.2', 'm.4', 'm.8']);
    expect(decision.savingsPerHour).toBeCloseTo(0.4 - 0.07);
    expect(decision.replacement.requirements).toContainEqual({ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m.2', 'm.4', 'm.8'] });
  });

  it('replaces two nodes with one', () => {
    const nodes = [managed('n1', 'm.4', 4, [pod('a', { cpu: '1' })]), managed('n2', 'm.4', 4, [pod('b', { cpu: '900m' })])];
    const decision = evaluateConsolidation(cluster(nodes, ['n1', 'n2']));
    expect(decision).toMatchObject({ action: 'replace', candidates: ['n1', 'n2'] });
    if (decision.action === 'replace') expect(decision.replacement.pods.map((p) => p.name).sort()).toEqual(['a', 'b']);
  });

  it('keeps a node when nothing cheaper fits', () => {
    const decision = evaluateConsolidation(cluster([managed('n1', 'm.2', 2, [pod('a', { cpu: '1500m' })], 'spot')], ['n1'], { spotToSpotConsolidation: true }));
    expect(decision.action).toBe('none');
    expect(decision).toMatchObject({ reason: expect.stringMatching(/^no cheaper replacement/) });
  });

  it('replaces spot with spot only when enabled and with at least 15 cheaper types', () => {
    const spotNode = managed('n1', 'm.8', 8, [pod('a', { cpu: '1' })], 'spot');
    expect(evaluateConsolidation(cluster([spotNode], ['n1']))).toMatchObject({ action: 'none', reason: expect.stringMatching(/spot-to-spot consolidation is disabled/) });
    expect(evaluateConsolidation(cluster([spotNode], ['n1'], { spotToSpotConsolidation: true }))).toMatchObject({
      action: 'none',
      reason: 'only 2 cheaper instance types; spot-to-spot replacement needs at least 15',
    });
    const many = Array.from({ length: 20 }, (_, i) => instanceType(`s.${i + 1}`, { cpu: 2, memoryGiB: 4, price: 0.01 * (i + 1) }));
    const big = instanceType('m.8', { cpu: 8, memoryGiB: 16, price: 0.4 });
    const decision = evaluateConsolidation(cluster([spotNode], ['n1'], { spotToSpotConsolidation: true, instanceTypes: { default: [...many, big] } }));
    expect(decision.action).toBe('replace');
    if (decision.action === 'replace') expect(decision.replacement.instanceTypes).toHaveLength(15);
  });

  it('does not disrupt what asks not to be', () => {
    const guarded = managed('n1', 'm.8', 8, [pod('a', { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } })]);
    expect(evaluateConsolidation(cluster([guarded], ['n1']))).toMatchObject({ action: 'none', reason: 'pod default/a on node n1 has karpenter.sh/do-not-disrupt' });
  });

  it('refuses when the pods need more than one new node, or fit nowhere', () => {
    const nodes = [managed('n1', 'm.16', 16, [pod('a', { cpu: '15', labels: { app: 'x' } }), pod('b', { cpu: '15', labels: { app: 'y' } })])];
    expect(evaluateConsolidation(cluster(nodes, ['n1']))).toMatchObject({ action: 'none', reason: 'the pods would need 2 new nodes' });
    const pinned = [managed('n1', 'm.4', 4, [pod('a', { nodeSelector: { team: 'x' } })])];
    expect(evaluateConsolidation(cluster(pinned, ['n1']))).toMatchObject({ action: 'none', reason: expect.stringMatching(/^pod default\/a would not fit elsewhere: nodepool default: label "team"/) });
  });

  it('ignores soft preferences of the moved pods', () => {
    const prefers = pod('a', {
      labels: { app: 'a' },
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'b' } } } }] } },
    });
    const nodes = [managed('n1', 'm.4', 4, [prefers]), managed('n2', 'm.4', 4, [pod('b', { labels: { app: 'b' } })])];
    expect(evaluateConsolidation(cluster(nodes, ['n1']))).toMatchObject({ action: 'delete' });
  });
});

describe('rankConsolidationCandidates', () => {
  it('orders by savings per disruption cost, empty nodes first', () => {
    const nodes = [
      managed('busy', 'm.8', 8, [pod('a'), pod('b'), pod('c'), pod('d')]),
      managed('light', 'm.4', 4, [pod('e')]),
      managed('empty', 'm.2', 2, []),
      managed('precious', 'm.8', 8, [pod('f', { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(2 ** 29) } })]),
    ];
    expect(rankConsolidationCandidates(nodes, { default: catalog() }).map((c) => c.name)).toEqual(['empty', 'light', 'busy', 'precious']); // 0.2/1, 0.4/4, 0.4/(1 + 4)
  });

  it('weighs eviction by deletion cost and priority, clamped', () => {
    expect(evictionCost(pod('a'))).toBe(1);
    expect(evictionCost(pod('a', { priority: 2 ** 25 }))).toBe(2);
    expect(evictionCost(pod('a', { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(2 ** 40) } }))).toBe(10);
  });
});
