import type { CapacityType } from '@karpenter-ts/api';
import type { Clock } from './clock.js';

/** How long an offering that reported no capacity is skipped. */
export const UNAVAILABLE_OFFERING_TTL_MS = 3 * 60_000;

/**
 * Offerings (capacity type × instance type × zone) and subnets that recently failed for lack of
 * capacity or addresses. Entries expire after three minutes, read through the injected clock.
 */
export class UnavailableOfferings {
  private readonly offerings = new Map<string, number>();
  private readonly subnets = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = UNAVAILABLE_OFFERING_TTL_MS,
  ) {}

  markOffering(capacityType: CapacityType, instanceType: string, zone: string): void {
    this.offerings.set(offeringKey(capacityType, instanceType, zone), this.clock() + this.ttlMs);
  }

  isOfferingUnavailable(capacityType: CapacityType, instanceType: string, zone: string): boolean {
    return isLive(this.offerings, offeringKey(capacityType, instanceType, zone), this.clock());
  }

  markSubnet(subnetId: string): void {
    this.subnets.set(subnetId, this.clock() + this.ttlMs);
  }

  isSubnetExhausted(subnetId: string): boolean {
    return isLive(this.subnets, subnetId, this.clock());
  }
}

function offeringKey(capacityType: string, instanceType: string, zone: string): string {
  return `${capacityType}/${instanceType}/${zone}`;
}

function isLive(entries: Map<string, number>, key: string, now: number): boolean {
  const expiry = entries.get(key);
  if (expiry === undefined) return false;
  if (expiry > now) return true;
  entries.delete(key);
  return false;
}
