import type { SchedulingInput } from './scheduling-input.js';
import type { SchedulingResult } from './scheduling-result.js';

/**
 * Simulates Karpenter's provisioning for a snapshot: places pods on existing and in-flight
 * capacity, opens new NodeClaims for the rest, and explains every pod it cannot place.
 *
 * @example
 * const result = schedule({ pods, nodePools: [defaultPool], instanceTypes: { default: catalog } });
 * for (const claim of result.nodeClaims) console.log(claim.nodePool, claim.instanceTypes[0].name, claim.pods.length);
 * for (const { pod, reasons } of result.unschedulable) console.log(pod.name, reasons.join('; '));
 */
export function schedule(input: SchedulingInput): SchedulingResult {
  void input;
  throw new Error('not implemented yet');
}

/**
 * The price per hour if capacity could be bought fractionally at the cheapest rate per unit of
 * each resource: no real packing can cost less, so it bounds how far a result is from optimal.
 */
export function lowerBoundPricePerHour(input: SchedulingInput): number {
  void input;
  throw new Error('not implemented yet');
}
