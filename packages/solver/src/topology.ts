import { Labels } from '@karpenter-ts/api';
import type { Taint, Toleration } from './kubernetes.js';
import type { CompiledSelector } from './label-selector.js';
import type { Requirement, Requirements } from './requirements.js';
import { untoleratedTaint } from './taints.js';

export type TopologyKind = 'spread' | 'affinity' | 'anti-affinity';

/** Which nodes a topology group counts (nodeAffinityPolicy / nodeTaintsPolicy: Honor). */
export interface NodeFilter {
  /** The owner's node requirements (OR alternatives), when node affinity is honored. */
  readonly alternatives?: readonly Requirements[];
  /** The owner's tolerations, when node taints are honored. */
  readonly tolerations?: readonly Toleration[];
}

/** A place pods can be counted in: its requirements (labels) and taints. */
export interface TopologyTarget {
  readonly requirements: Requirements;
  readonly taints: readonly Taint[];
  /** Hostname of the node or planned NodeClaim. */
  readonly hostname: string;
}

/**
 * Pods matching one selector, counted per domain of one topology key, for one kind of
 * constraint. Pods sharing a constraint (a Deployment's replicas) share the group, so counts
 * are kept incrementally as pods are placed instead of being recomputed.
 */
export class TopologyGroup {
  /** Matching pods per domain. */
  readonly counts = new Map<string, number>();
  /** Pods owning this (anti-affinity) constraint per domain, for the symmetric check. */
  readonly owners = new Map<string, number>();
  total = 0;

  constructor(
    readonly kind: TopologyKind,
    readonly key: string,
    /** Namespaces whose pods are counted; undefined for all. */
    readonly namespaces: ReadonlySet<string> | undefined,
    readonly selector: CompiledSelector,
    readonly maxSkew: number,
    readonly minDomains: number,
    readonly filter: NodeFilter,
    /** Domains eligible for the spread minimum (spread on non-hostname keys only). */
    readonly domains: ReadonlySet<string>,
  ) {}

  get isHostname(): boolean {
    return this.key === Labels.hostname;
  }

  selects(namespace: string, labels: Readonly<Record<string, string>>): boolean {
    return (this.namespaces === undefined || this.namespaces.has(namespace)) && this.selector.matches(labels);
  }

  count(domain: string): number {
    return this.counts.get(domain) ?? 0;
  }

  /** Whether a pod on this target is counted (honoring the group's node filter). */
  counted(target: TopologyTarget): boolean {
    const { alternatives, tolerations } = this.filter;
    if (tolerations && untoleratedTaint(target.taints, tolerations, false)) return false;
    if (alternatives && !alternatives.some((alternative) => target.requirements.intersects(alternative) === undefined)) return false;
    return true;
  }

  record(domain: string, selected: boolean, owner: boolean): void {
    if (selected) {
      this.counts.set(domain, (this.counts.get(domain) ?? 0) + 1);
      this.total++;
    }
    if (owner) this.owners.set(domain, (this.owners.get(domain) ?? 0) + 1);
  }

  /** The smallest count over the eligible domains; 0 while fewer than minDomains domains exist. */
  globalMin(): number {
    if (this.isHostname || this.domains.size < this.minDomains) return 0;
    let min = Infinity;
    for (const domain of this.domains) min = Math.min(min, this.counts.get(domain) ?? 0);
    return min === Infinity ? 0 : min;
  }

  describe(): string {
    const what = this.kind === 'spread' ? `topology spread (maxSkew ${this.maxSkew})` : this.kind === 'affinity' ? 'pod affinity' : 'pod anti-affinity';
    return `${what} on ${this.key}`;
  }
}

/** A constraint a pod brings: a group it owns, and whether the pod itself matches the group's selector. */
export interface OwnedConstraint {
  readonly group: TopologyGroup;
  readonly selfMatch: boolean;
}

export type DomainChoice = { readonly domains: ReadonlyMap<string, string> } | { readonly reason: string; readonly permanent: boolean };

/**
 * Chooses a domain per constrained topology key for a pod on a target, or says why none fits.
 * `domainOf(key)` gives the target's domain when fixed, or the requirement restricting it when
 * the target (a planned NodeClaim) may still take several values.
 */
export function chooseDomains(
  owned: readonly OwnedConstraint[],
  inverse: readonly TopologyGroup[],
  domainOf: (key: string) => string | Requirement | undefined,
): DomainChoice {
  if (owned.length === 0 && inverse.length === 0) return noDomains;
  const options = new Map<string, string[]>();
  const optionsFor = (group: TopologyGroup): string[] | undefined => {
    let current = options.get(group.key);
    if (!current) {
      const domain = domainOf(group.key);
      if (domain === undefined) return undefined;
      // A key no NodePool or node has values for: the node will not carry the label.
      if (typeof domain !== 'string' && group.domains.size === 0) return undefined;
      current = typeof domain === 'string' ? [domain] : [...group.domains].filter((d) => domain.has(d)).sort();
    }
    return current;
  };
  for (const { group, selfMatch } of owned) {
    const current = optionsFor(group);
    if (!current) {
      // A node without the topology label is in no domain: anti-affinity holds, spread and affinity cannot.
      if (group.kind === 'anti-affinity') continue;
      return { reason: `nodes have no ${group.key} label for ${group.describe()}`, permanent: true };
    }
    let next: string[];
    if (group.kind === 'spread') {
      const min = group.globalMin();
      const self = selfMatch ? 1 : 0;
      next = current.filter((d) => group.count(d) + self - min <= group.maxSkew);
    } else if (group.kind === 'affinity') {
      next = group.total === 0 && selfMatch ? current : current.filter((d) => group.count(d) > 0);
    } else {
      next = current.filter((d) => group.count(d) === 0);
    }
    if (next.length === 0) {
      return { reason: `${group.describe()} cannot be satisfied`, permanent: group.kind === 'anti-affinity' || (group.kind === 'spread' && group.isHostname) };
    }
    options.set(group.key, next);
  }
  for (const group of inverse) {
    const current = optionsFor(group);
    if (!current) continue;
    const next = current.filter((d) => (group.owners.get(d) ?? 0) === 0);
    if (next.length === 0) return { reason: `pod anti-affinity of a placed pod on ${group.key} excludes it`, permanent: true };
    options.set(group.key, next);
  }
  const domains = new Map<string, string>();
  for (const [key, candidates] of options) {
    const spread = owned.find((c) => c.group.key === key && c.group.kind === 'spread')?.group;
    let best = candidates[0];
    if (spread) for (const d of candidates) if (spread.count(d) < spread.count(best)) best = d;
    domains.set(key, best);
  }
  return { domains };
}

const noDomains: DomainChoice = { domains: new Map() };
