import type { InstanceType, Offering } from '@karpenter-ts/api';
import { describe, expect, it } from 'vitest';
import { allowedValues, chooseCapacityType, launchableOverrides, MAX_INSTANCE_TYPES_PER_LAUNCH, type OfferingFilter } from './overrides.js';

const type = (name: string, offerings: Offering[]): InstanceType => ({
  name,
  requirements: [],
  capacity: {},
  overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
  allocatable: {},
  offerings,
});
const offer = (capacityType: 'spot' | 'on-demand', zone: string, price: number, available = true): Offering => ({ capacityType, zone, price, available });

const m5 = type('m5.large', [offer('on-demand', 'a', 0.096), offer('on-demand', 'b', 0.096), offer('spot', 'a', 0.04), offer('spot', 'b', 0.03)]);
const c5 = type('c5.large', [offer('on-demand', 'a', 0.085), offer('on-demand', 'b', 0.085), offer('spot', 'a', 0.05, false)]);
const subnets = new Map([
  ['a', { id: 'subnet-a' }],
  ['b', { id: 'subnet-b' }],
]);
const filter = (over: Partial<OfferingFilter> = {}): OfferingFilter => ({ requirements: [], subnetsByZone: subnets, isUnavailable: () => false, ...over });

describe('allowedValues', () => {
  it('intersects In, removes NotIn and DoesNotExist, and leaves Exists open', () => {
    const universe = ['spot', 'on-demand', 'reserved'];
    expect(allowedValues([], 'k', universe)).toBeUndefined();
    expect(allowedValues([{ key: 'k', operator: 'Exists' }], 'k', universe)).toBeUndefined();
    expect(allowedValues([{ key: 'k', operator: 'In', values: ['spot', 'on-demand'] }, { key: 'k', operator: 'NotIn', values: ['spot'] }], 'k', universe)).toEqual(new Set(['on-demand']));
    expect(allowedValues([{ key: 'k', operator: 'DoesNotExist' }], 'k', universe)).toEqual(new Set());
  });
});

describe('launchableOverrides', () => {
  it('orders offerings by price, then instance type, then zone', () => {
    expect(launchableOverrides([m5, c5], 'on-demand', filter()).map((o) => `${o.instanceType.name}/${o.zone}/${o.subnetId}`)).toEqual([
      'c5.large/a/subnet-a',
      'c5.large/b/subnet-b',
      'm5.large/a/subnet-a',
      'm5.large/b/subnet-b',
    ]);
    expect(launchableOverrides([m5, c5], 'spot', filter()).map((o) => `${o.instanceType.name}/${o.zone}`)).toEqual(['m5.large/b', 'm5.large/a']);
  });

  it('leaves out zones without a subnet, zones and types the requirements exclude, and offerings out of capacity', () => {
    const zoneB = filter({ requirements: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['b'] }] });
    expect(launchableOverrides([m5, c5], 'on-demand', zoneB).map((o) => o.zone)).toEqual(['b', 'b']);
    const onlyM5 = filter({ requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'NotIn', values: ['c5.large'] }] });
    expect(new Set(launchableOverrides([m5, c5], 'on-demand', onlyM5).map((o) => o.instanceType.name))).toEqual(new Set(['m5.large']));
    const noSubnetB = filter({ subnetsByZone: new Map([['a', { id: 'subnet-a' }]]) });
    expect(launchableOverrides([m5], 'on-demand', noSubnetB).map((o) => o.zone)).toEqual(['a']);
    const c5Out = filter({ isUnavailable: (_c, t, z) => t === 'c5.large' && z === 'a' });
    expect(launchableOverrides([c5], 'on-demand', c5Out).map((o) => o.zone)).toEqual(['b']);
  });

  it(`keeps the ${MAX_INSTANCE_TYPES_PER_LAUNCH} cheapest instance types`, () => {
    const many = Array.from({ length: 80 }, (_, i) => type(`t${String(i).padStart(2, '0')}`, [offer('on-demand', 'a', 1 + i), offer('on-demand', 'b', 1 + i)]));
    const overrides = launchableOverrides(many.reverse(), 'on-demand', filter());
    expect(new Set(overrides.map((o) => o.instanceType.name)).size).toBe(MAX_INSTANCE_TYPES_PER_LAUNCH);
    expect(overrides.at(-1)!.instanceType.name).toBe('t59');
  });
});

describe('chooseCapacityType', () => {
  it('prefers spot when allowed and launchable', () => {
    expect(chooseCapacityType([m5, c5], filter())).toBe('spot');
  });

  it('uses on-demand when the requirements say so or no spot offering is left', () => {
    expect(chooseCapacityType([m5], filter({ requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }] }))).toBe('on-demand');
    expect(chooseCapacityType([m5, c5], filter({ isUnavailable: (c) => c === 'spot' }))).toBe('on-demand');
  });

  it('finds nothing when every offering is out', () => {
    expect(chooseCapacityType([m5, c5], filter({ isUnavailable: () => true }))).toBeUndefined();
  });
});
