import { describe, expect, it } from 'vitest';
import { Labels, normalizeLabelKey, WellKnownLabels } from './labels.js';

describe('normalizeLabelKey', () => {
  it('maps beta keys to their stable keys', () => {
    expect(normalizeLabelKey('failure-domain.beta.kubernetes.io/zone')).toBe(Labels.zone);
    expect(normalizeLabelKey('beta.kubernetes.io/arch')).toBe(Labels.arch);
  });
  it('leaves other keys alone', () => {
    expect(normalizeLabelKey('team')).toBe('team');
  });
  it('knows the well-known labels but not custom ones', () => {
    expect(WellKnownLabels.has(Labels.capacityType)).toBe(true);
    expect(WellKnownLabels.has('team')).toBe(false);
  });
});
