import { describe, expect, it } from 'vitest';
import { UnavailableOfferings, UNAVAILABLE_OFFERING_TTL_MS } from './unavailable-offerings.js';

describe('UnavailableOfferings', () => {
  it('marks one (capacity type, instance type, zone) for three minutes on the injected clock', () => {
    let now = 1_000;
    const cache = new UnavailableOfferings(() => now);
    cache.markOffering('spot', 'm5.large', 'us-west-2a');
    expect(cache.isOfferingUnavailable('spot', 'm5.large', 'us-west-2a')).toBe(true);
    expect(cache.isOfferingUnavailable('on-demand', 'm5.large', 'us-west-2a')).toBe(false);
    expect(cache.isOfferingUnavailable('spot', 'm5.large', 'us-west-2b')).toBe(false);
    now += UNAVAILABLE_OFFERING_TTL_MS - 1;
    expect(cache.isOfferingUnavailable('spot', 'm5.large', 'us-west-2a')).toBe(true);
    now += 1;
    expect(cache.isOfferingUnavailable('spot', 'm5.large', 'us-west-2a')).toBe(false);
  });

  it('marks subnets out of addresses separately', () => {
    let now = 0;
    const cache = new UnavailableOfferings(() => now);
    cache.markSubnet('subnet-1');
    expect(cache.isSubnetExhausted('subnet-1')).toBe(true);
    expect(cache.isSubnetExhausted('subnet-2')).toBe(false);
    now = UNAVAILABLE_OFFERING_TTL_MS;
    expect(cache.isSubnetExhausted('subnet-1')).toBe(false);
  });
});
