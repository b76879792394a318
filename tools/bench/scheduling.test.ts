import { lowerBoundPricePerHour, schedule } from '@karpenter-ts/solver';
import { describe, expect, it } from 'vitest';
import { benchInput, benchInstanceTypes, benchPods } from './scheduling-input.js';

describe('scheduling benchmark input', () => {
  it('matches the upstream shape', () => {
    const types = benchInstanceTypes();
    expect(types).toHaveLength(400);
    expect(types[9].capacity).toEqual({ cpu: 10_000, memory: 20 * 2 ** 30, pods: 100 });
    const spot = types[9].offerings.filter((o) => o.capacityType === 'spot');
    expect(spot.map((o) => o.zone)).toEqual(['zone-a', 'zone-b']);
    expect(spot[0].price).toBeCloseTo(0.7 * (0.1 * 10 + 0.1 * 20));
    expect(benchPods(10)).toEqual(benchPods(10)); // fixed seed
  });

  it('schedules every pod at no less than the lower bound', () => {
    const input = benchInput(500);
    const result = schedule(input);
    expect(result.unschedulable).toEqual([]);
    expect(result.nodeClaims.reduce((n, c) => n + c.pods.length, 0)).toBe(500);
    // The hostname spread and anti-affinity groups need a node per pod each: 100 nodes at least.
    expect(result.nodeClaims.length).toBeGreaterThanOrEqual(100);
    const price = result.nodeClaims.reduce((sum, c) => sum + c.price, 0);
    expect(price).toBeGreaterThanOrEqual(lowerBoundPricePerHour(input));
  });
});
