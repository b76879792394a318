import type { NodeClaimPlan } from './scheduling-result.js';
import type { Pod } from './kubernetes.js';
import type { ClusterNode, SchedulingInput } from './scheduling-input.js';

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

/**
 * Decides whether the candidate nodes can be removed: deleted when their pods fit on the rest
 * of the cluster, or replaced by one strictly cheaper node.
 *
 * @example
 * const decision = evaluateConsolidation({ ...snapshot, candidates: ['ip-10-0-1-7'] });
 * if (decision.action === 'replace') console.log(decision.replacement.instanceTypes[0]);
 */
export function evaluateConsolidation(input: ConsolidationInput): ConsolidationDecision {
  void input;
  throw new Error('not implemented yet');
}

/**
 * Candidates in the order to try them: most savings per disruption cost first.
 *
 * @example
 * const [first] = rankConsolidationCandidates(snapshot.nodes, snapshot.instanceTypes);
 */
export function rankConsolidationCandidates(
  nodes: readonly ClusterNode[],
  instanceTypes: SchedulingInput['instanceTypes'],
): ConsolidationCandidate[] {
  void nodes;
  void instanceTypes;
  throw new Error('not implemented yet');
}
