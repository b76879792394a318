import type { Taint, Toleration } from './kubernetes.js';

/** Whether one toleration matches a taint (Kubernetes semantics: empty key with Exists matches every taint). */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if ((toleration.operator ?? 'Equal') === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

/**
 * The first taint the tolerations do not tolerate, or undefined when all are tolerated.
 * `PreferNoSchedule` taints count only when `includePreferNoSchedule` is set: Karpenter treats
 * them as hard first and relaxes them last.
 *
 * @example
 * untoleratedTaint([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], []) // the taint
 * untoleratedTaint([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], [{ key: 'dedicated', operator: 'Exists' }]) // undefined
 */
export function untoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], includePreferNoSchedule = true): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule' && !includePreferNoSchedule) continue;
    if (!tolerations.some((toleration) => toleratesTaint(toleration, taint))) return taint;
  }
  return undefined;
}

export function formatTaint(taint: Taint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}
