import { describe, expect, it } from 'vitest';
import { Requirement, RequirementError, Requirements } from './requirements.js';

const req = (operator: string, values?: string[], minValues?: number) => Requirement.from({ key: 'k', operator, values, minValues });

describe('Requirement', () => {
  it('treats In as a finite set and NotIn as its complement', () => {
    const both = req('In', ['a', 'b', 'c']).intersect(req('NotIn', ['b']));
    expect([...both.values].sort()).toEqual(['a', 'c']);
    expect(req('NotIn', ['a']).has('z')).toBe(true);
    expect(req('NotIn', ['a']).has('a')).toBe(false);
  });

  it('makes Exists everything and DoesNotExist nothing', () => {
    expect(req('Exists').has('anything')).toBe(true);
    expect(req('DoesNotExist').isEmpty()).toBe(true);
    expect(req('Exists').intersect(req('In', ['x'])).has('x')).toBe(true);
  });

  it('bounds integers with Gt, Lt, Gte and Lte', () => {
    const range = req('Gt', ['2']).intersect(req('Lt', ['8']));
    expect(range.has('3')).toBe(true);
    expect(range.has('2')).toBe(false);
    expect(range.has('8')).toBe(false);
    expect(range.has('x')).toBe(false);
    const inclusive = req('Gte', ['2']).intersect(req('Lte', ['8']));
    expect(inclusive.has('2')).toBe(true);
    expect(inclusive.has('8')).toBe(true);
    expect(inclusive.has('9')).toBe(false);
    expect(req('Gt', ['4']).intersect(req('In', ['2', '4', '8'])).values).toEqual(new Set(['8']));
    expect(req('Gt', ['5']).intersect(req('Lt', ['6'])).isEmpty()).toBe(true);
    expect(req('Gt', ['5']).intersects(req('Lt', ['6']))).toBe(false);
    expect(req('Gte', ['5']).intersects(req('Lte', ['5']))).toBe(true);
  });

  it('lets two "label may be absent" requirements agree', () => {
    expect(req('DoesNotExist').intersects(req('NotIn', ['a']))).toBe(true);
    expect(req('DoesNotExist').intersects(req('In', ['a']))).toBe(false);
    expect(req('In', ['a']).intersects(req('In', ['b']))).toBe(false);
  });

  it('keeps the larger minValues', () => {
    expect(req('In', ['a', 'b', 'c'], 2).intersect(req('Exists', undefined, 3)).minValues).toBe(3);
  });

  it('rejects invalid operators and values with the fix', () => {
    expect(() => req('Equals', ['a'])).toThrow(/not one of In, NotIn/);
    expect(() => req('In', [])).toThrow(RequirementError);
    expect(() => req('Gt', ['x'])).toThrow(/one integer value/);
    expect(() => req('In', ['a'], 0)).toThrow(/minValues/);
  });

  it('normalizes beta label keys', () => {
    expect(Requirement.from({ key: 'failure-domain.beta.kubernetes.io/zone', operator: 'Exists' }).key).toBe('topology.kubernetes.io/zone');
  });

  it('writes itself back as selectors', () => {
    expect(req('Gt', ['2']).intersect(req('NotIn', ['5'])).toSelectors()).toEqual([
      { key: 'k', operator: 'NotIn', values: ['5'] },
      { key: 'k', operator: 'Gt', values: ['2'] },
    ]);
  });
});

describe('Requirements', () => {
  const pool = Requirements.from([
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
    { key: 'team', operator: 'In', values: ['a'] },
  ]);

  it('accepts a pod whose values intersect', () => {
    expect(pool.compatible(Requirements.from([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }]))).toBeUndefined();
  });

  it('names the conflict when values do not intersect', () => {
    expect(pool.compatible(Requirements.from([{ key: 'team', operator: 'In', values: ['b'] }]))).toBe('requires team in [b], but the node has team in [a]');
  });

  it('rejects a custom label the pool does not define, but not a well-known one', () => {
    expect(pool.compatible(Requirements.fromLabels({ project: 'x' }))).toMatch(/label "project" has no known values/);
    expect(pool.compatible(Requirements.fromLabels({ 'topology.kubernetes.io/zone': 'zone-a' }))).toBeUndefined();
    expect(pool.compatible(Requirements.from([{ key: 'project', operator: 'DoesNotExist' }]))).toBeUndefined();
    expect(pool.compatible(Requirements.from([{ key: 'project', operator: 'NotIn', values: ['x'] }]))).toBeUndefined();
  });

  it('narrows only when something changes', () => {
    const same = pool.narrowedBy(Requirements.from([{ key: 'team', operator: 'In', values: ['a', 'b'] }]));
    expect(same).toBe(pool);
    const narrowed = pool.narrowedBy(Requirements.from([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }]));
    expect(narrowed).not.toBe(pool);
    expect(narrowed.labels()).toEqual({ 'karpenter.sh/capacity-type': 'spot', team: 'a' });
  });
});
