import { describe, expect, it } from 'vitest';
import { catalogInstanceTypes } from './catalog-instance-types.js';
import { estimatedSpotPrice, parsePriceOverrides } from './pricing.js';

describe('offline prices', () => {
  it('spot is a fixed share of on-demand by kind of instance', () => {
    expect(estimatedSpotPrice('m5.large', 0.096)).toBeCloseTo(0.0336, 6);
    expect(estimatedSpotPrice('t3.micro', 0.0104)).toBeCloseTo(0.00312, 6);
    expect(estimatedSpotPrice('g5.xlarge', 1.006)).toBeCloseTo(0.4527, 6);
  });

  it('catalog offerings use the bundled on-demand price in every zone that offers the type', () => {
    const m5 = catalogInstanceTypes({ region: 'us-east-1' }).find((t) => t.name === 'm5.large')!;
    const zones = [...new Set(m5.offerings.map((o) => o.zone))];
    expect(zones.length).toBeGreaterThanOrEqual(5);
    expect(m5.offerings.filter((o) => o.capacityType === 'on-demand').every((o) => o.price === 0.096)).toBe(true);
    expect(m5.offerings.filter((o) => o.capacityType === 'spot').every((o) => o.price === 0.0336)).toBe(true);
  });

  it('us-west-2 uses the us-east-1 price and its own zones', () => {
    const m5 = catalogInstanceTypes({ region: 'us-west-2' }).find((t) => t.name === 'm5.large')!;
    expect(m5.offerings.every((o) => o.zone.startsWith('us-west-2'))).toBe(true);
    expect(m5.offerings.find((o) => o.capacityType === 'on-demand')?.price).toBe(0.096);
  });

  it('covers the full catalog without mac types', () => {
    const types = catalogInstanceTypes({ region: 'us-east-1' });
    expect(types.length).toBeGreaterThan(1200);
    expect(types.some((t) => t.name.startsWith('mac'))).toBe(false);
  });

  it('overrides replace on-demand and spot prices, per type or per zone', () => {
    const prices = parsePriceOverrides({ onDemand: { 'm5.large': 0.2 }, spot: { 'c5.large': { 'us-east-1a': 0.01 } } }, 'prices.json');
    const types = catalogInstanceTypes({ region: 'us-east-1', prices });
    const m5 = types.find((t) => t.name === 'm5.large')!;
    expect(m5.offerings.find((o) => o.capacityType === 'on-demand')?.price).toBe(0.2);
    expect(m5.offerings.find((o) => o.capacityType === 'spot')?.price).toBeCloseTo(0.07, 6); // estimate follows the override
    const c5 = types.find((t) => t.name === 'c5.large')!;
    expect(c5.offerings.find((o) => o.capacityType === 'spot' && o.zone === 'us-east-1a')?.price).toBe(0.01);
    expect(c5.offerings.find((o) => o.capacityType === 'spot' && o.zone === 'us-east-1b')?.price).toBeCloseTo(0.085 * 0.35, 6);
  });

  it('rejects a malformed prices file naming the entry', () => {
    expect(() => parsePriceOverrides({ onDemand: { 'm5.large': 'cheap' } }, 'p.json')).toThrow(/p.json: onDemand.m5.large: "cheap" is not a price/);
    expect(() => parsePriceOverrides({ ondemand: {} }, 'p.json')).toThrow(/p.json: ondemand: unknown key/);
    expect(() => parsePriceOverrides([], 'p.json')).toThrow(/not a JSON object/);
  });

  it('rejects an unknown region', () => {
    expect(() => catalogInstanceTypes({ region: 'eu-west-1' })).toThrow(/eu-west-1 is not in the bundled catalog \(known: us-east-1, us-west-2\)/);
  });
});
