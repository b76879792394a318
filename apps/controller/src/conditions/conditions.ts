import type { Condition } from '@karpenter-ts/api';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * Returns the conditions with `type` set; lastTransitionTime moves only when the status changes.
 * The input is not modified.
 */
export function withCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: Date,
  observedGeneration?: number,
): Condition[] {
  const before = findCondition(conditions, type);
  const next: Condition = {
    type,
    status,
    reason,
    message,
    lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now.toISOString(),
    ...(observedGeneration === undefined ? {} : { observedGeneration }),
  };
  return [...(conditions ?? []).filter((c) => c.type !== type), next];
}

/** True when two condition lists say the same (ignoring order). */
export function sameConditions(a: readonly Condition[] | undefined, b: readonly Condition[] | undefined): boolean {
  const key = (list: readonly Condition[] | undefined) =>
    JSON.stringify([...(list ?? [])].sort((x, y) => x.type.localeCompare(y.type)).map((c) => [c.type, c.status, c.reason, c.message, c.observedGeneration]));
  return key(a) === key(b);
}
