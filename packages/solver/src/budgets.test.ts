import { describe, expect, it } from 'vitest';
import { allowedDisruptions, budgetNodes, isBudgetActive } from './budgets.js';
import { FieldError } from './field-error.js';

// 2026-12-03 is a Thursday.
const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 11, day, hour, minute);

describe('budgetNodes', () => {
  it('rounds percentages up', () => {
    expect(budgetNodes('10%', 15)).toBe(2);
    expect(budgetNodes('10%', 10)).toBe(1);
    expect(budgetNodes('10%', 1)).toBe(1);
    expect(budgetNodes('0%', 100)).toBe(0);
    expect(budgetNodes('100%', 7)).toBe(7);
    expect(budgetNodes('5', 100)).toBe(5);
  });

  it('rejects anything else', () => {
    expect(() => budgetNodes('ten', 10)).toThrow(/neither a node count/);
    expect(() => budgetNodes('-1', 10)).toThrow(FieldError);
  });
});

describe('isBudgetActive', () => {
  const workHours = { nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' };

  it('is active from each firing for the duration', () => {
    expect(isBudgetActive(workHours, at(3, 9))).toBe(true);
    expect(isBudgetActive(workHours, at(3, 16, 59))).toBe(true);
    expect(isBudgetActive(workHours, at(3, 17))).toBe(false);
    expect(isBudgetActive(workHours, at(3, 8, 59))).toBe(false);
    expect(isBudgetActive(workHours, at(5, 10))).toBe(false); // Saturday
  });

  it('covers windows that cross midnight', () => {
    const nightly = { nodes: '0', schedule: '0 22 * * *', duration: '4h' };
    expect(isBudgetActive(nightly, at(4, 1, 30))).toBe(true);
    expect(isBudgetActive(nightly, at(4, 2))).toBe(false);
  });

  it('is always active without a schedule, and needs schedule and duration together', () => {
    expect(isBudgetActive({ nodes: '1' }, at(3, 3))).toBe(true);
    expect(() => isBudgetActive({ nodes: '1', schedule: '@daily' }, at(3, 3))).toThrow(/together/);
    expect(() => isBudgetActive({ nodes: '1', schedule: '61 * * * *', duration: '1h' }, at(3, 3))).toThrow(FieldError);
  });
});

describe('allowedDisruptions', () => {
  const base = { reason: 'Underutilized' as const, nodeCount: 15, disruptingCount: 0, now: at(3, 12) };

  it('defaults to 10% of the nodes, rounded up', () => {
    expect(allowedDisruptions(base)).toBe(2);
  });

  it('subtracts nodes already disrupting, never below zero', () => {
    expect(allowedDisruptions({ ...base, disruptingCount: 1 })).toBe(1);
    expect(allowedDisruptions({ ...base, disruptingCount: 5 })).toBe(0);
  });

  it('takes the smallest active budget that covers the reason', () => {
    const budgets = [
      { nodes: '50%' },
      { nodes: '0', schedule: '0 9 * * 1-5', duration: '8h' },
      { nodes: '1', reasons: ['Drifted'] },
    ];
    expect(allowedDisruptions({ ...base, budgets })).toBe(0);
    expect(allowedDisruptions({ ...base, budgets, now: at(3, 20) })).toBe(8);
    expect(allowedDisruptions({ ...base, budgets, now: at(3, 20), reason: 'Drifted' })).toBe(1);
  });

  it('allows every node when no budget covers the reason', () => {
    expect(allowedDisruptions({ ...base, budgets: [{ nodes: '1', reasons: ['Empty'] }] })).toBe(15);
  });

  it('names the budget and field that is wrong', () => {
    try {
      allowedDisruptions({ ...base, budgets: [{ nodes: '1' }, { nodes: '1', schedule: 'every day', duration: '1h' }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FieldError);
      expect((error as FieldError).field).toBe('spec.disruption.budgets[1].schedule');
    }
  });
});
