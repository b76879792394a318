import type { CapacityType, InstanceType, NodeSelectorRequirement } from '@karpenter-ts/api';
import { Labels } from '@karpenter-ts/api';

/** Upstream sends at most this many instance types to one launch. */
export const MAX_INSTANCE_TYPES_PER_LAUNCH = 60;

/** One (instance type, zone, subnet) a fleet request may launch, with the offering's price. */
export interface PricedOverride {
  readonly instanceType: InstanceType;
  readonly zone: string;
  readonly subnetId: string;
  readonly price: number;
}

/**
 * The values a key may take under some requirements, or undefined when any value is allowed.
 * Several requirements on one key intersect; NotIn and DoesNotExist remove values.
 */
export function allowedValues(requirements: readonly NodeSelectorRequirement[], key: string, universe: readonly string[]): Set<string> | undefined {
  let allowed: Set<string> | undefined;
  for (const r of requirements) {
    if (r.key !== key) continue;
    const values = new Set(r.values ?? []);
    const next =
      r.operator === 'In'
        ? values
        : r.operator === 'NotIn'
          ? new Set(universe.filter((v) => !values.has(v)))
          : r.operator === 'DoesNotExist'
            ? new Set<string>()
            : undefined;
    if (next) allowed = allowed ? new Set([...allowed].filter((v) => next.has(v))) : next;
  }
  return allowed;
}

export interface OfferingFilter {
  readonly requirements: readonly NodeSelectorRequirement[];
  /** Zones with a usable subnet → that subnet. */
  readonly subnetsByZone: ReadonlyMap<string, { readonly id: string }>;
  /** Offerings recently out of capacity. */
  readonly isUnavailable: (capacityType: CapacityType, instanceType: string, zone: string) => boolean;
}

/**
 * Spot when the requirements allow it and some spot offering is launchable, else on-demand when
 * allowed and launchable; undefined when nothing can be launched.
 */
export function chooseCapacityType(instanceTypes: readonly InstanceType[], filter: OfferingFilter): CapacityType | undefined {
  for (const capacityType of ['spot', 'on-demand'] as const) {
    if (launchableOverrides(instanceTypes, capacityType, filter).length > 0) return capacityType;
  }
  return undefined;
}

/**
 * Every launchable (instance type × zone) for a capacity type, cheapest first (ties by
 * instance type, then zone), limited to the cheapest {@link MAX_INSTANCE_TYPES_PER_LAUNCH} types.
 */
export function launchableOverrides(instanceTypes: readonly InstanceType[], capacityType: CapacityType, filter: OfferingFilter): PricedOverride[] {
  const capacityTypes = allowedValues(filter.requirements, Labels.capacityType, ['spot', 'on-demand', 'reserved']);
  if (capacityTypes && !capacityTypes.has(capacityType)) return [];
  const zones = allowedValues(filter.requirements, Labels.zone, [...filter.subnetsByZone.keys()]);
  const names = allowedValues(
    filter.requirements,
    Labels.instanceType,
    instanceTypes.map((t) => t.name),
  );
  const overrides: PricedOverride[] = [];
  for (const instanceType of instanceTypes) {
    if (names && !names.has(instanceType.name)) continue;
    for (const offering of instanceType.offerings) {
      const subnet = filter.subnetsByZone.get(offering.zone);
      if (
        offering.capacityType !== capacityType ||
        !offering.available ||
        !subnet ||
        (zones && !zones.has(offering.zone)) ||
        filter.isUnavailable(capacityType, instanceType.name, offering.zone)
      ) {
        continue;
      }
      overrides.push({ instanceType, zone: offering.zone, subnetId: subnet.id, price: offering.price });
    }
  }
  overrides.sort((a, b) => a.price - b.price || compare(a.instanceType.name, b.instanceType.name) || compare(a.zone, b.zone));
  const kept = new Set<string>();
  return overrides.filter((o) => {
    if (kept.has(o.instanceType.name)) return true;
    if (kept.size >= MAX_INSTANCE_TYPES_PER_LAUNCH) return false;
    kept.add(o.instanceType.name);
    return true;
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
