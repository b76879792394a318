import { describe, expect, it } from 'vitest';
import { planTable } from './plan-output.js';
import type { Plan } from './plan.js';

const GiB = 2 ** 30;

describe('planTable', () => {
  it('formats cores, GiB, zones and alternatives', () => {
    const rows: Plan['rows'] = [
      {
        claim: { nodePool: 'general', instanceTypes: ['m5.large', 'm6i.large'], capacityType: 'on-demand', zones: ['us-east-1a'], pods: ['a/p-0', 'a/p-1'], requests: { cpu: '1500m', memory: '3Gi' }, pricePerHour: 0.096 },
        allocatable: { cpu: 1930, memory: 6.5 * GiB },
        requestAmounts: { cpu: 1500, memory: 3 * GiB },
      },
      {
        claim: { nodePool: 'spot', instanceTypes: ['r8i.96xlarge'], capacityType: 'spot', zones: ['us-east-1a', 'us-east-1b'], pods: ['a/q-0'], requests: { cpu: '382900m', memory: '4Gi' }, pricePerHour: 9.3354 },
        allocatable: { cpu: 383000, memory: 100 * GiB },
        requestAmounts: { cpu: 382900, memory: 4 * GiB },
      },
    ];
    const plan: Plan = {
      podCount: 3,
      instanceTypeCount: 2,
      podsOnExistingNodes: 1,
      rows,
      summary: {
        nodeClaims: rows.map((r) => r.claim),
        unschedulable: [{ pod: 'a/r', reasons: { general: 'too big', '*': 'invalid pod' } }],
        totalPricePerHour: 9.4314,
        lowerBoundPricePerHour: 8,
      },
    };
    const lines = planTable(plan).split('\n');
    expect(lines[1]).toMatch(/^general\s+m5\.large \(\+1\)\s+on-demand\s+us-east-1a\s+1\.5\/1\.93\s+3\.0Gi\/6\.5Gi\s+2\s+\$0\.0960$/);
    expect(lines[2]).toMatch(/^spot\s+r8i\.96xlarge\s+spot\s+any of 2\s+382\.9\/383\s+4\.0Gi\/100\.0Gi\s+1\s+\$9\.3354$/);
    expect(lines).toContain('Total:        2 NodeClaims for 3 of 3 pods, $9.4314/hour ($6884.9220/month)');
    expect(lines.some((l) => l.startsWith('Lower bound:  $8.0000/hour') && l.endsWith('ratio 1.18'))).toBe(true);
    expect(lines).toContain('Existing:     1 pods fit on existing nodes');
    expect(lines.slice(-4)).toEqual(['  a/r', '    general: too big', '    all NodePools: invalid pod', '']);
  });
});
