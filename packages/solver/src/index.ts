// The public API of @karpenter-ts/solver: a pure, deterministic decision core.
export type * from './kubernetes.js';
export type * from './scheduling-input.js';
export type * from './scheduling-result.js';
export { schedule } from './scheduler.js';
export { lowerBoundPricePerHour } from './lower-bound.js';
export { parseQuantity, formatQuantity, QuantityError } from './quantity.js';
export { podRequests } from './resources.js';
export { Requirement, Requirements, RequirementError } from './requirements.js';
export { toleratesTaint, untoleratedTaint, formatTaint } from './taints.js';
export { FieldError } from './field-error.js';
export type { ConsolidationInput, ConsolidationDecision, ConsolidationCandidate } from './consolidation.js';
export {
  evaluateConsolidation,
  rankConsolidationCandidates,
  evictionCost,
  nodePrice,
  minSpotToSpotInstanceTypes,
} from './consolidation.js';
export type { DisruptionReason, BudgetQuery } from './budgets.js';
export { allowedDisruptions, isBudgetActive, budgetNodes } from './budgets.js';
export type { CronSchedule } from './cron.js';
export { parseCron, cronMatches, CronError } from './cron.js';
export { parseDuration, DurationError } from './duration.js';
