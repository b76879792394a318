import type { PodAffinityTerm, TopologySpreadConstraint } from './kubernetes.js';
import type { WeightedTerm } from './pod.js';
import type { Requirements } from './requirements.js';

/** The preferences still in force for a pod; relaxing drops one at a time. */
export interface Preferences {
  readonly affinity: readonly WeightedTerm<PodAffinityTerm>[];
  readonly antiAffinity: readonly WeightedTerm<PodAffinityTerm>[];
  /** Heaviest first; only the first is applied at a time. */
  readonly node: readonly WeightedTerm<Requirements>[];
  readonly scheduleAnyway: readonly TopologySpreadConstraint[];
  readonly toleratePreferNoSchedule: boolean;
}

/** The reference's order: preferred pod affinity, preferred anti-affinity, preferred node affinity, ScheduleAnyway spreads, PreferNoSchedule taints. */
export function relax(p: Preferences): Preferences | undefined {
  if (p.affinity.length) return { ...p, affinity: p.affinity.slice(1) };
  if (p.antiAffinity.length) return { ...p, antiAffinity: p.antiAffinity.slice(1) };
  if (p.node.length) return { ...p, node: p.node.slice(1) };
  if (p.scheduleAnyway.length) return { ...p, scheduleAnyway: p.scheduleAnyway.slice(1) };
  if (!p.toleratePreferNoSchedule) return { ...p, toleratePreferNoSchedule: true };
  return undefined;
}
