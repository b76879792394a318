import { describe, expect, it } from 'vitest';
import { catalog, input, nodePool, pod } from '../test/fixtures.js';
import { lowerBoundPricePerHour } from './lower-bound.js';
import { schedule } from './scheduler.js';

describe('lowerBoundPricePerHour', () => {
  it('computes a lower bound no packing can beat', () => {
    const i = input({ pods: [pod('a', { cpu: '1500m', memory: '1Gi' }), pod('b', { cpu: '1500m', memory: '1Gi' })] });
    // 3 cpu at the cheapest rate per cpu: 0.035 spot per cpu-hour.
    expect(lowerBoundPricePerHour(i)).toBeCloseTo(0.105);
    const result = schedule(i);
    expect(result.nodeClaims.reduce((s, c) => s + c.price, 0)).toBeGreaterThanOrEqual(lowerBoundPricePerHour(i));
  });

  it('takes the scarcest resource and ignores invalid pods', () => {
    // 1 cpu but 16 GiB: memory at 0.7 × 0.05 / 2 GiB per hour is what binds.
    const i = input({ pods: [pod('memory', { cpu: '1', memory: '16Gi' }), pod('bad', { cpu: 'x' })] });
    expect(lowerBoundPricePerHour(i)).toBeCloseTo(16 * 0.0175);
  });

  it('counts only the types and offerings a pool may launch', () => {
    // An on-demand-only pool: spot's 0.035 per cpu-hour is out of reach, on-demand's 0.05 binds.
    const onDemand = nodePool('on-demand', { requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }] });
    const i = input({ pods: [pod('a', { cpu: '2', memory: '1Gi' })], nodePools: [onDemand], instanceTypes: { 'on-demand': catalog() } });
    expect(lowerBoundPricePerHour(i)).toBeCloseTo(2 * 0.05);
  });
});
