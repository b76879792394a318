import type { CapacityType } from '@karpenter-ts/api';
import { Labels } from '@karpenter-ts/api';
import type { Taint } from './kubernetes.js';
import type { NodePoolTemplate, TypeOption } from './nodepool-template.js';
import { cheapestPrice, offeringFilter } from './nodepool-template.js';
import type { HostPort } from './pod.js';
import { Requirement, Requirements } from './requirements.js';
import type { ResourceIndex } from './resources.js';
import type { InstanceTypeOption, NodeClaimPlan, PodRef } from './scheduling-result.js';
import type { TopologyTarget } from './topology.js';

/** A NodeClaim being planned in this run. */
export class PlannedClaim implements TopologyTarget {
  types: readonly TypeOption[] = [];
  /** Largest available amount per resource over the remaining types: a quick "never fits" test. */
  maxAvailable: Float64Array;
  /** What the cheapest remaining instance type (the first: types stay in price order) still has free. */
  slack: Float64Array;
  /** Limit headroom held back for this claim (the largest capacity of its types). */
  reserved: Float64Array;
  readonly taints: readonly Taint[];

  constructor(
    /** Index in the scheduler's list of claims. */
    readonly position: number,
    readonly pool: NodePoolTemplate,
    readonly hostname: string,
    public requirements: Requirements,
    public requests: Float64Array,
    readonly ports: HostPort[],
    readonly pods: PodRef[],
  ) {
    this.taints = pool.taints;
    this.maxAvailable = new Float64Array(requests.length);
    this.slack = new Float64Array(requests.length);
    this.reserved = new Float64Array(requests.length);
  }
}

/** The result form of a planned claim: instance types by price (truncated keeping minValues), offerings, requests with daemon overhead. */
export function toNodeClaimPlan(claim: PlannedClaim, index: ResourceIndex, maxInstanceTypes: number): NodeClaimPlan {
  const requirements = [...claim.requirements.values()].filter((r) => r.key !== Labels.hostname);
  const narrowed = new Requirements(requirements);
  const allowed = offeringFilter(narrowed);
  // Types come cheapest first for the pool; only narrowed zones or capacity types can reorder them.
  const samePrices = [Labels.zone, Labels.capacityType].every((key) => narrowed.get(key) === claim.pool.requirements.get(key));
  const minValues = requirements.some((r) => r.minValues !== undefined);
  const candidates = samePrices && !minValues ? claim.types.slice(0, maxInstanceTypes) : claim.types;
  const priced = candidates.map((option) => ({ option, price: samePrices ? option.price : cheapestPrice(option, allowed) }));
  if (!samePrices) priced.sort((a, b) => a.price - b.price || (a.option.type.name < b.option.type.name ? -1 : 1));
  const chosen = truncate(priced, narrowed, maxInstanceTypes);
  const capacityTypes = new Set<CapacityType>();
  const zones = new Set<string>();
  const overhead = new Float64Array(claim.requests.length);
  for (const { option } of chosen) {
    for (const o of option.offerings) {
      if (!allowed(o)) continue;
      capacityTypes.add(o.capacityType);
      zones.add(o.zone);
    }
    for (let r = 0; r < overhead.length; r++) overhead[r] = Math.max(overhead[r], option.overhead[r]);
  }
  const final = narrowed
    .with(Requirement.in(Labels.instanceType, chosen.map((c) => c.option.type.name), narrowed.get(Labels.instanceType)?.minValues))
    .with(Requirement.in(Labels.capacityType, capacityTypes))
    .with(Requirement.in(Labels.zone, zones));
  const instanceTypes: InstanceTypeOption[] = chosen.map((c) => ({ name: c.option.type.name, price: c.price }));
  const total = claim.requests.map((v, r) => v + overhead[r]);
  return {
    hostname: claim.hostname,
    nodePool: claim.pool.name,
    requirements: final.toSelectors(),
    instanceTypes,
    capacityTypes: [...capacityTypes].sort(),
    zones: [...zones].sort(),
    requests: index.amounts(total),
    daemonOverhead: index.amounts(overhead),
    labels: { ...claim.pool.labels, ...narrowed.labels() },
    taints: claim.pool.taints,
    startupTaints: claim.pool.startupTaints,
    pods: claim.pods,
    price: instanceTypes[0]?.price ?? 0,
  };
}

/** The cheapest `maxInstanceTypes`, plus the cheapest others needed to keep every minValues. */
function truncate<T extends { option: TypeOption }>(priced: readonly T[], requirements: Requirements, maxInstanceTypes: number): T[] {
const chosen = priced.slice(0, maxInstanceTypes);
  for (const requirement of requirements.values()) {
    if (requirement.minValues === undefined) continue;
    const valuesOf = (t: T) => [...(t.option.requirements.get(requirement.key)?.finiteValues() ?? [])].filter((v) => requirement.has(v));
    const covered = new Set(chosen.flatMap(valuesOf));
    for (const candidate of priced) {
      if (covered.size >= requirement.minValues) break;
      const values = valuesOf(candidate);
      if (chosen.includes(candidate) || values.every((v) => covered.has(v))) continue;
      chosen.push(candidate);
      for (const v of values) covered.add(v);
    }
  }
  return chosen;
}
