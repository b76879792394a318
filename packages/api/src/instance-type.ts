import type { NodeSelectorRequirement } from './requirement.js';

/**
 * Resource amounts in canonical integer units: `cpu` in millicores, `memory` and
 * `ephemeral-storage` in bytes, everything else (pods, nvidia.com/gpu, …) in whole units.
 * Kubernetes quantity strings are converted at the edges (manifests, API objects, output).
 */
export type ResourceAmounts = Readonly<Record<string, number>>;

export type CapacityType = 'on-demand' | 'spot' | 'reserved';

/** One way to buy an instance type: a capacity type in a zone, at a price. */
export interface Offering {
  readonly capacityType: CapacityType;
  readonly zone: string;
  /** USD per hour. */
  readonly price: number;
  /** False while the offering is known to be out of capacity (or not offered). */
  readonly available: boolean;
}

/** What the node reserves for itself; allocatable = capacity − kubeReserved − systemReserved − evictionThreshold. */
export interface InstanceTypeOverhead {
  readonly kubeReserved: ResourceAmounts;
  readonly systemReserved: ResourceAmounts;
  readonly evictionThreshold: ResourceAmounts;
}

export interface InstanceType {
  readonly name: string;
  /** The labels a node of this type carries, as requirements (mostly `In` with the single value). */
  readonly requirements: readonly NodeSelectorRequirement[];
  readonly capacity: ResourceAmounts;
  readonly overhead: InstanceTypeOverhead;
  readonly allocatable: ResourceAmounts;
  readonly offerings: readonly Offering[];
}
