import type { InstanceType } from '@karpenter-ts/api';
import { instanceTypeRequirements, offeringFilter } from './nodepool-template.js';
import { Requirements } from './requirements.js';
import { podRequests } from './resources.js';
import type { SchedulingInput } from './scheduling-input.js';

/**
 * The price per hour if capacity could be bought fractionally at the cheapest rate per unit of
 * each resource: no real packing can cost less, so it bounds how far a result is from optimal.
 *
 * @example
 * const ratio = totalPrice(schedule(input)) / lowerBoundPricePerHour(input); // ≥ 1
 */
export function lowerBoundPricePerHour(input: SchedulingInput): number {
  const demand: Record<string, number> = {};
  for (const pod of input.pods) {
    try {
      for (const [name, amount] of Object.entries(podRequests(pod))) demand[name] = (demand[name] ?? 0) + amount;
    } catch {
      // Invalid pods are reported by schedule(); they need no capacity here.
    }
  }
  // Only what a pool may launch counts: its requirements (arch, families, capacity types,
  // zones …) rule out types and offerings, which would otherwise make the bound meaningless.
  const cheapestRate: Record<string, number> = {};
  for (const pool of input.nodePools) {
    const types = input.instanceTypes[pool.metadata?.name ?? ''];
    const requirements = poolRequirements(pool);
    if (!types || !requirements) continue;
    const allowed = offeringFilter(requirements);
    for (const type of types) {
      if (requirements.intersects(instanceTypeRequirements(type)) !== undefined) continue;
      const prices = type.offerings.filter((o) => o.available && allowed(o)).map((o) => o.price);
      if (prices.length === 0) continue;
      const price = Math.min(...prices);
      for (const [name, amount] of Object.entries(type.allocatable)) {
        if (amount > 0) cheapestRate[name] = Math.min(cheapestRate[name] ?? Infinity, price / amount);
      }
    }
  }
  let bound = 0;
  for (const [name, amount] of Object.entries(demand)) {
    const rate = cheapestRate[name];
    if (rate !== undefined && Number.isFinite(rate)) bound = Math.max(bound, amount * rate);
  }
  return bound;
}

/** The requirements a pool's nodes must meet, or undefined for an invalid pool (schedule() reports it). */
function poolRequirements(pool: SchedulingInput['nodePools'][number]): Requirements | undefined {
  const template = pool.spec?.template;
  try {
    return Requirements.from(template?.spec?.requirements).intersect(Requirements.fromLabels(template?.metadata?.labels ?? {}));
  } catch {
    return undefined;
  }
}
