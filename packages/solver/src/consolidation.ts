import type { InstanceType } from '@karpenter-ts/api';
import { Annotations, Labels } from '@karpenter-ts/api';
import type { Node, Pod } from './kubernetes.js';
import { describePod, podRef } from './pod.js';
import { schedule } from './scheduler.js';
import type { ClusterNode, SchedulingInput } from './scheduling-input.js';
import type { NodeClaimPlan } from './scheduling-result.js';

/** The cluster and the candidate nodes to remove together. */
export interface ConsolidationInput extends Omit<SchedulingInput, 'pods'> {
  /** Every node of the cluster (the candidates included), with their pods. */
  readonly nodes: readonly ClusterNode[];
  /** Names of the nodes to remove together. */
  readonly candidates: readonly string[];
  /** Pods still pending: they keep their claim on capacity. */
  readonly pendingPods?: readonly Pod[];
  /** Allow replacing spot with (cheaper) spot; needs at least 15 cheaper instance types. Default false. */
  readonly spotToSpotConsolidation?: boolean;
}

export type ConsolidationDecision =
  | { readonly action: 'delete'; readonly candidates: readonly string[]; readonly savingsPerHour: number; readonly reason: string }
  | {
      readonly action: 'replace';
      readonly candidates: readonly string[];
      readonly replacement: NodeClaimPlan;
      readonly savingsPerHour: number;
      readonly reason: string;
    }
  | { readonly action: 'none'; readonly candidates: readonly string[]; readonly reason: string };

/** A node considered for consolidation, with what removing it saves and costs. */
export interface ConsolidationCandidate {
  readonly name: string;
  /** Price of the node's offering (USD/hour), 0 when unknown. */
  readonly pricePerHour: number;
  /** Sum of eviction costs of its pods (pod-deletion-cost and priority aware), at least 0. */
  readonly disruptionCost: number;
}

/** Spot-to-spot replacement needs at least this many cheaper instance types, and launches with the cheapest this many. */
export const minSpotToSpotInstanceTypes = 15;

/**
 * Decides whether the candidate nodes can be removed: deleted when their pods fit on the rest
 * of the cluster, or replaced by one strictly cheaper node. Soft preferences of the moved pods
 * are ignored (they must not block a move); DaemonSet and finished pods do not move.
 *
 * @example
 * const decision = evaluateConsolidation({ ...snapshot, candidates: ['ip-10-0-1-7'] });
 * if (decision.action === 'replace') console.log(decision.replacement.instanceTypes[0]);
 */
export function evaluateConsolidation(input: ConsolidationInput): ConsolidationDecision {
  const { candidates } = input;
  const none = (reason: string): ConsolidationDecision => ({ action: 'none', candidates, reason });
  const wanted = new Set(candidates);
  const chosen = input.nodes.filter((n) => wanted.has(n.node.metadata?.name ?? ''));
  if (chosen.length !== wanted.size) {
    const missing = candidates.filter((name) => !chosen.some((n) => n.node.metadata?.name === name));
    return none(`node ${missing.join(', ')} is not in the snapshot`);
  }
  let currentPrice = 0;
  const moving: Pod[] = [];
  for (const { node, pods = [] } of chosen) {
    const name = node.metadata?.name ?? '';
    if (node.metadata?.annotations?.[Annotations.doNotDisrupt] === 'true') return none(`node ${name} has ${Annotations.doNotDisrupt}`);
    const price = nodePrice(node, input.instanceTypes);
    if (price === undefined) return none(`price of node ${name} is unknown (instance type, zone or capacity type label missing, or not offered)`);
    currentPrice += price;
    for (const pod of pods) {
      if (!reschedulable(pod)) continue;
      if (pod.metadata?.annotations?.[Annotations.doNotDisrupt] === 'true') return none(`${describePod(pod)} on node ${name} has ${Annotations.doNotDisrupt}`);
      moving.push(pod);
    }
  }
  if (moving.length === 0) return { action: 'delete', candidates, savingsPerHour: currentPrice, reason: 'empty' };

  const pending = input.pendingPods ?? [];
  const result = schedule({
    ...input,
    pods: [...pending, ...moving],
    nodes: input.nodes.filter((n) => !wanted.has(n.node.metadata?.name ?? '')),
    options: { ...input.options, ignorePreferences: true },
  });
  const moved = new Set(moving.map((pod) => key(podRef(pod))));
  const stuck = result.unschedulable.find((u) => moved.has(key(u.pod)));
  if (stuck) return none(`pod ${stuck.pod.namespace}/${stuck.pod.name} would not fit elsewhere: ${stuck.reasons.join('; ')}`);
  const claims = result.nodeClaims.filter((claim) => claim.pods.some((pod) => moved.has(key(pod))));
  if (claims.length === 0) return { action: 'delete', candidates, savingsPerHour: currentPrice, reason: 'pods fit on the remaining nodes' };
  if (claims.length > 1) return none(`the pods would need ${claims.length} new nodes`);

  const [claim] = claims;
  let cheaper = claim.instanceTypes.filter((t) => t.price < currentPrice);
  if (cheaper.length === 0) {
    return none(`no cheaper replacement: the cheapest fitting instance type ${claim.instanceTypes[0]?.name} costs ${claim.price}/h, the nodes cost ${currentPrice}/h`);
  }
  const allSpot = chosen.every(({ node }) => node.metadata?.labels?.[Labels.capacityType] === 'spot');
  if (allSpot && claim.capacityTypes.includes('spot')) {
    if (!input.spotToSpotConsolidation) return none('spot-to-spot consolidation is disabled (feature gate SpotToSpotConsolidation)');
    if (cheaper.length < minSpotToSpotInstanceTypes) {
      return none(`only ${cheaper.length} cheaper instance types; spot-to-spot replacement needs at least ${minSpotToSpotInstanceTypes}`);
    }
    cheaper = cheaper.slice(0, minSpotToSpotInstanceTypes);
  }
  const names = new Set(cheaper.map((t) => t.name));
  const replacement: NodeClaimPlan = {
    ...claim,
    instanceTypes: cheaper,
    requirements: claim.requirements.map((r) => (r.key === Labels.instanceType && r.operator === 'In' ? { ...r, values: (r.values ?? []).filter((v) => names.has(v)) } : r)),
    price: cheaper[0].price,
  };
  return {
    action: 'replace',
    candidates,
    replacement,
    savingsPerHour: currentPrice - replacement.price,
    reason: `replace with ${cheaper[0].name} at ${cheaper[0].price}/h`,
  };
}

function key(ref: { namespace: string; name: string }): string {
  return `${ref.namespace}/${ref.name}`;
}

/** Pods that must find a new home when their node goes: not DaemonSet pods, mirror pods or finished pods. */
function reschedulable(pod: Pod): boolean {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return false;
  return !(pod.metadata?.ownerReferences ?? []).some((owner) => owner.kind === 'DaemonSet');
}

/** The price of a node's offering, found from its NodePool, instance type, zone and capacity type labels. */
export function nodePrice(node: Node, instanceTypes: Readonly<Record<string, readonly InstanceType[]>>): number | undefined {
  const labels = node.metadata?.labels ?? {};
  const type = (instanceTypes[labels[Labels.nodePool] ?? ''] ?? []).find((t) => t.name === labels[Labels.instanceType]);
  const offering = type?.offerings.find((o) => o.zone === labels[Labels.zone] && o.capacityType === labels[Labels.capacityType]);
  return offering?.price;
}

/**
 * What evicting a pod costs, as upstream weighs it: 1, plus the pod-deletion-cost annotation
 * / 2^27, plus the priority / 2^25, clamped to [-10, 10].
 */
export function evictionCost(pod: Pod): number {
  let cost = 1;
  const deletionCost = Number(pod.metadata?.annotations?.['controller.kubernetes.io/pod-deletion-cost']);
  if (Number.isFinite(deletionCost)) cost += deletionCost / 2 ** 27;
  if (pod.spec?.priority !== undefined) cost += pod.spec.priority / 2 ** 25;
  return Math.min(10, Math.max(-10, cost));
}

/**
 * Candidates in the order to try them: most savings (the node's price) per disruption cost
 * (the eviction costs of its pods) first; empty nodes first of all.
 *
 * @example
 * const [first] = rankConsolidationCandidates(snapshot.nodes, snapshot.instanceTypes);
 */
export function rankConsolidationCandidates(
  nodes: readonly ClusterNode[],
  instanceTypes: SchedulingInput['instanceTypes'],
): ConsolidationCandidate[] {
  const ranked = nodes.map(({ node, pods = [] }) => ({
    name: node.metadata?.name ?? '',
    pricePerHour: nodePrice(node, instanceTypes) ?? 0,
    disruptionCost: Math.max(0, pods.filter(reschedulable).reduce((sum, pod) => sum + evictionCost(pod), 0)),
  }));
  const value = (c: ConsolidationCandidate) => (c.disruptionCost === 0 ? Infinity : c.pricePerHour / c.disruptionCost);
  return ranked.sort((a, b) => value(b) - value(a) || b.pricePerHour - a.pricePerHour || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
