import { CronError, lastFiring, parseCron } from './cron.js';
import { DurationError, parseDuration } from './duration.js';
import { FieldError } from './field-error.js';
import type { BudgetLike } from './kubernetes.js';

export type DisruptionReason = 'Underutilized' | 'Empty' | 'Drifted';

/** What a NodePool's budgets allow for one disruption reason at one instant. */
export interface BudgetQuery {
  /** The NodePool's `spec.disruption.budgets`; absent means the default `[{ nodes: "10%" }]`. */
  readonly budgets?: readonly BudgetLike[];
  readonly reason: DisruptionReason;
  /** Nodes of the NodePool (those already disrupting included). */
  readonly nodeCount: number;
  /** Nodes of the NodePool already being disrupted or deleted. */
  readonly disruptingCount: number;
  /** The clock value to evaluate schedules at: milliseconds since the Unix epoch (UTC). */
  readonly now: number;
}

const defaultBudgets: readonly BudgetLike[] = [{ nodes: '10%' }];

/**
 * How many nodes a budget allows disrupted at once: a count, or a percentage of the NodePool's
 * nodes rounded up. Throws a FieldError (field `nodes`) for anything else.
 *
 * @example
 * budgetNodes('10%', 15) // 2
 * budgetNodes('3', 15)   // 3
 */
export function budgetNodes(nodes: string, nodeCount: number): number {
  const percent = /^(\d+)%$/.exec(nodes);
  if (percent) return Math.ceil((Number(percent[1]) * nodeCount) / 100);
  if (/^\d+$/.test(nodes)) return Number(nodes);
  throw new FieldError('nodes', `"${nodes}" is neither a node count ("5") nor a percentage ("10%")`);
}

/**
 * Whether a budget applies at `now`: always without a schedule; with one, from each firing of
 * the cron schedule (UTC) for `duration`. Throws a FieldError naming `schedule` or `duration`.
 *
 * @example
 * // Weekdays 09:00–17:00 UTC
 * isBudgetActive({ nodes: '0', schedule: '0 9 * * 1-5', duration: '8h' }, now)
 */
export function isBudgetActive(budget: BudgetLike, now: number): boolean {
  if (budget.schedule === undefined && budget.duration === undefined) return true;
  if (budget.schedule === undefined || budget.duration === undefined) {
    throw new FieldError(budget.schedule === undefined ? 'schedule' : 'duration', 'schedule and duration must be set together');
  }
  let duration: number;
  try {
    duration = parseDuration(budget.duration);
  } catch (error) {
    if (error instanceof DurationError) throw new FieldError('duration', error.message);
    throw error;
  }
  try {
    return lastFiring(parseCron(budget.schedule), now, duration) !== undefined;
  } catch (error) {
    if (error instanceof CronError) throw new FieldError('schedule', error.message);
    throw error;
  }
}

/**
 * How many more nodes of a NodePool may be disrupted now for a reason: the smallest value of
 * the active budgets that cover the reason (percentages round up), minus the nodes already
 * disrupting, never below zero. With no budget covering the reason, every node may go.
 * Throws a FieldError whose field is `spec.disruption.budgets[i].…` for an invalid budget.
 *
 * @example
 * allowedDisruptions({ budgets: [{ nodes: '10%' }], reason: 'Empty', nodeCount: 15, disruptingCount: 1, now })
 * // ceil(1.5) − 1 = 1
 */
export function allowedDisruptions(query: BudgetQuery): number {
  let allowed = query.nodeCount;
  (query.budgets ?? defaultBudgets).forEach((budget, i) => {
    try {
      if (budget.reasons?.length && !budget.reasons.includes(query.reason)) return;
      if (!isBudgetActive(budget, query.now)) return;
      allowed = Math.min(allowed, budgetNodes(budget.nodes ?? '10%', query.nodeCount));
    } catch (error) {
      if (error instanceof FieldError) throw new FieldError(`spec.disruption.budgets[${i}].${error.field}`, error.message);
      throw error;
    }
  });
  return Math.max(0, allowed - query.disruptingCount);
}
