// The public API of @karpenter-ts/solver: a pure, deterministic decision core.
export type * from './kubernetes.js';
export type * from './scheduling-input.js';
export type * from './scheduling-result.js';
export { schedule, lowerBoundPricePerHour } from './scheduler.js';
export { parseQuantity, formatQuantity, QuantityError } from './quantity.js';
export type { ConsolidationInput, ConsolidationDecision, ConsolidationCandidate } from './consolidation.js';
export { evaluateConsolidation, rankConsolidationCandidates } from './consolidation.js';
export type { DisruptionReason, BudgetQuery } from './budgets.js';
export { allowedDisruptions } from './budgets.js';
