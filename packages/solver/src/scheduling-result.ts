import type { CapacityType, NodeSelectorRequirement, ResourceAmounts } from '@karpenter-ts/api';
import type { Taint } from './kubernetes.js';

/** Identifies a pod of the input. */
export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
}

/** One instance type a new NodeClaim may launch as, with its cheapest matching offering price (USD/hour). */
export interface InstanceTypeOption {
  readonly name: string;
  readonly price: number;
}

/** A NodeClaim the solver wants created. */
export interface NodeClaimPlan {
  /** A placeholder hostname, unique within the result (e.g. `default-3`), used for hostname topology. */
  readonly hostname: string;
  readonly nodePool: string;
  /** NodePool requirements narrowed by the pods, plus instance type, capacity type and zone. */
  readonly requirements: readonly NodeSelectorRequirement[];
  /** Ordered by price, cheapest first; truncated to `maxInstanceTypes` while keeping minValues. */
  readonly instanceTypes: readonly InstanceTypeOption[];
  readonly capacityTypes: readonly CapacityType[];
  readonly zones: readonly string[];
  /** Pod requests plus daemon overhead (the largest over the instance types), canonical units. */
  readonly requests: ResourceAmounts;
  readonly daemonOverhead: ResourceAmounts;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly startupTaints: readonly Taint[];
  readonly pods: readonly PodRef[];
  /** Price of the cheapest instance type option (USD/hour). */
  readonly price: number;
}

/** Pods placed on capacity that already exists or is already being launched. */
export interface ExistingPlacement {
  readonly kind: 'node' | 'nodeclaim';
  readonly name: string;
  readonly pods: readonly PodRef[];
}

/** A pod that cannot be placed, with one actionable reason per NodePool (`nodepool default: …`). */
export interface UnschedulablePod {
  readonly pod: PodRef;
  readonly reasons: readonly string[];
}

/** Something wrong in the input, naming the object, the field and what to do. */
export interface InputProblem {
  /** e.g. `pod default/web-1`, `nodepool gpu`. */
  readonly object: string;
  /** e.g. `spec.containers[0].resources.requests.cpu`. */
  readonly field: string;
  readonly message: string;
}

export interface SchedulingResult {
  readonly nodeClaims: readonly NodeClaimPlan[];
  readonly existingPlacements: readonly ExistingPlacement[];
  readonly unschedulable: readonly UnschedulablePod[];
  readonly problems: readonly InputProblem[];
}
