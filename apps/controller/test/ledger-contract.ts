// The behaviour every ledger backend must show; run on SQLite (unit) and PostgreSQL (integration).
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Ledger } from '../src/ledger/index.js';
import type { PlanRunRecord } from '../src/ledger/index.js';

export const samplePlan: PlanRunRecord = {
  source: 'cli',
  region: 'us-east-1',
  inputDigest: 'a'.repeat(64),
  podCount: 3,
  summary: {
    nodeClaims: [
      {
        nodePool: 'general',
        instanceTypes: ['m6g.large', 'm5.large'],
        capacityType: 'spot',
        zones: ['us-east-1a'],
        pods: ['shop/web-0', 'shop/web-1'],
        requests: { cpu: '1500m', memory: '3Gi' },
        pricePerHour: 0.0269,
      },
    ],
    unschedulable: [{ pod: 'shop/huge-0', reasons: { general: 'no instance type has 512 cpu', gpu: 'does not tolerate taint nvidia.com/gpu' } }],
    totalPricePerHour: 0.0269,
    lowerBoundPricePerHour: 0.02,
  },
};

/** Registers the contract tests; `open` returns a fresh, empty ledger whose clock is `now`. */
export function ledgerContract(open: (now: () => Date) => Promise<Ledger>): void {
  let ledger: Ledger;
  let clock = new Date('2026-12-03T10:00:00.000Z');
  beforeEach(async () => {
    clock = new Date('2026-12-03T10:00:00.000Z');
    ledger = await open(() => clock);
  });
  afterEach(async () => {
    await ledger.close();
  });

  it('records a plan and reads it back whole', async () => {
    const id = await ledger.recordPlan(samplePlan);
    const run = await ledger.getRun(id);
    expect(run).toEqual({ ...samplePlan, id, createdAt: '2026-12-03T10:00:00.000Z' });
  });

  it('lists runs newest first with their totals', async () => {
    const first = await ledger.recordPlan(samplePlan);
    clock = new Date('2026-12-03T11:00:00.000Z');
    const second = await ledger.recordPlan({ ...samplePlan, region: 'us-west-2', summary: { ...samplePlan.summary, nodeClaims: [], unschedulable: [], totalPricePerHour: 0, lowerBoundPricePerHour: 0 } });
    const runs = await ledger.listRuns(10);
    expect(runs.map((r) => r.id)).toEqual([second, first]);
    expect(runs[1]).toEqual({
      id: first,
      createdAt: '2026-12-03T10:00:00.000Z',
      source: 'cli',
      region: 'us-east-1',
      inputDigest: samplePlan.inputDigest,
      podCount: 3,
      nodeClaimCount: 1,
      unschedulableCount: 1,
      totalPricePerHour: 0.0269,
      lowerBoundPricePerHour: 0.02,
    });
    expect(await ledger.listRuns(1)).toHaveLength(1);
  });

  it('returns undefined for an unknown run', async () => {
    expect(await ledger.getRun(999_999)).toBeUndefined();
  });

  it('records controller decisions linked to a run, filterable by NodeClaim', async () => {
    const runId = await ledger.recordPlan(samplePlan);
    await ledger.recordDecision({ action: 'launch', reason: 'Provisioning', nodePool: 'general', nodeClaim: 'general-abc12', instanceType: 'm6g.large', capacityType: 'spot', zone: 'us-east-1a', priceAfter: 0.0269, runId });
    clock = new Date('2026-12-03T10:05:00.000Z');
    await ledger.recordDecision({ action: 'delete', reason: 'Empty', nodePool: 'general', nodeClaim: 'general-zzz99', priceBefore: 0.096, priceAfter: 0, detail: { pods: [] } });
    const all = await ledger.listDecisions();
    expect(all.map((d) => d.action)).toEqual(['delete', 'launch']);
    expect(all[0]).toMatchObject({ createdAt: '2026-12-03T10:05:00.000Z', priceBefore: 0.096, priceAfter: 0, detail: { pods: [] } });
    expect(all[0].runId).toBeUndefined();
    const one = await ledger.listDecisions({ nodeClaim: 'general-abc12' });
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ runId, instanceType: 'm6g.large', zone: 'us-east-1a' });
  });
}
