import { describe, expect, it } from 'vitest';
import { formatTaint, toleratesTaint, untoleratedTaint } from './taints.js';

const gpu = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('taints and tolerations', () => {
  it('matches Equal on key, value and effect', () => {
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, gpu)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }, gpu)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }, gpu)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu' }, gpu)).toBe(true);
  });

  it('matches Exists on the key, and an empty key with Exists on everything', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, gpu)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists' }, gpu)).toBe(true);
    expect(toleratesTaint({ key: 'other', operator: 'Exists' }, gpu)).toBe(false);
  });

  it('finds the first untolerated taint, PreferNoSchedule only when asked', () => {
    const soft = { key: 'spot', effect: 'PreferNoSchedule' };
    expect(untoleratedTaint([gpu], [])).toBe(gpu);
    expect(untoleratedTaint([soft], [])).toBe(soft);
    expect(untoleratedTaint([soft], [], false)).toBeUndefined();
    expect(formatTaint(gpu)).toBe('dedicated=gpu:NoSchedule');
  });
});
