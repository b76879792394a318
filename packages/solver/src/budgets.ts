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

/**
 * How many more nodes of a NodePool may be disrupted now for a reason: the smallest value of
 * the active budgets that cover the reason (percentages round up), minus the nodes already
 * disrupting, never below zero.
 *
 * @example
 * allowedDisruptions({ budgets: [{ nodes: '10%' }], reason: 'Empty', nodeCount: 15, disruptingCount: 1, now })
 * // ceil(1.5) − 1 = 1
 */
export function allowedDisruptions(query: BudgetQuery): number {
  void query;
  throw new Error('not implemented yet');
}
