import type { InstanceType } from '@karpenter-ts/api';
import { Labels, normalizeLabelKey } from '@karpenter-ts/api';
import { FieldError } from './field-error.js';
import type { LabelSelector, NodePoolLike, Pod, PodAffinityTerm, Taint, TopologySpreadConstraint } from './kubernetes.js';
import { compileSelector } from './label-selector.js';
import type { CompiledDaemon, NodePoolTemplate, TypeOption } from './nodepool-template.js';
import { compileDaemon, compileNodePool, instanceTypeRequirements, offeringFilter } from './nodepool-template.js';
import type { CompiledPod, HostPort } from './pod.js';
import { PlannedClaim, toNodeClaimPlan } from './planned-claim.js';
import type { Preferences } from './preferences.js';
import { relax } from './preferences.js';
import { compilePod, describePod, formatHostPort, hostPortsConflict, podRef } from './pod.js';
import { formatQuantity } from './quantity.js';
import { Requirement, Requirements } from './requirements.js';
import { ResourceIndex, fits, parseResourceList } from './resources.js';
import { SlackIndex } from './slack-index.js';
import type { ClusterNode, InFlightNodeClaim, SchedulingInput } from './scheduling-input.js';
import type { ExistingPlacement, InputProblem, PodRef, SchedulingResult, UnschedulablePod } from './scheduling-result.js';
import { formatTaint, untoleratedTaint } from './taints.js';
import type { OwnedConstraint, TopologyKind, TopologyTarget } from './topology.js';
import { TopologyGroup, chooseDomains } from './topology.js';

/**
 * Simulates Karpenter's provisioning for a snapshot: places pods on existing and in-flight
 * capacity, opens new NodeClaims for the rest, and explains every pod it cannot place.
 *
 * @example
 * const result = schedule({ pods, nodePools: [defaultPool], instanceTypes: { default: catalog } });
 * for (const claim of result.nodeClaims) console.log(claim.nodePool, claim.instanceTypes[0].name, claim.pods.length);
 * for (const { pod, reasons } of result.unschedulable) console.log(pod.name, reasons.join('; '));
 */
export function schedule(input: SchedulingInput): SchedulingResult {
  return new Scheduler(input).run();
}

/** One way to schedule a group of identical pods, at one level of relaxation. */
interface PodVariant {
  readonly preferences: Preferences;
  readonly alternatives: readonly Requirements[];
  readonly owned: readonly OwnedConstraint[];
  /** Claims this variant may still use, in creation order (permanently rejected ones are dropped). */
  readonly openClaims: number[];
  /** How many claims have been added to `openClaims` so far. */
  seenClaims: number;
  /** Claim positions this variant can never use (marked wherever found; `openClaims` drops them lazily). */
  readonly rejectedClaims: Set<number>;
  /** Nodes and in-flight NodeClaims this variant may still use; undefined until first needed. */
  openTargets: number[] | undefined;
  readonly toleratesPool: Map<NodePoolTemplate, boolean>;
}

/** Pods that schedule identically. */
interface PodGroup {
  readonly compiled: CompiledPod;
  readonly requests: Float64Array;
  readonly variants: PodVariant[];
  /** Groups counting this pod. */
  readonly selecting: readonly TopologyGroup[];
  /** Anti-affinity groups whose owners repel this pod. */
  readonly inverse: readonly TopologyGroup[];
  /** Required anti-affinity groups this pod owns. */
  readonly requiredAnti: readonly TopologyGroup[];
}

interface PodEntry {
  readonly ref: PodRef;
  readonly group: PodGroup;
  readonly order: number;
}

/** A node or in-flight NodeClaim: fixed capacity, fixed labels. */
interface ExistingTarget extends TopologyTarget {
  readonly kind: 'node' | 'nodeclaim';
  readonly name: string;
  readonly knownKeys: ReadonlySet<string>;
  readonly remaining: Float64Array;
  readonly ports: HostPort[];
  /** Pods already there (or nominated). */
  readonly pods: readonly Pod[];
  readonly schedulable: boolean;
  readonly placed: PodRef[];
}

const noKnownKeys: ReadonlySet<string> = new Set();

/** A claim attempt: the price increase when the pod fits, or whether it may fit later. */
type Outcome = number | 'permanent' | 'temporary';

/** When a pod must grow a claim, how many accepting claims are compared for the smallest price increase. */
const growCandidates = 8;

/** Above this many open claims, room is looked up in the slack index rather than claim by claim. */
const slackIndexThreshold = 64;
const topologyKinds = { spread: 'spread', affinity: 'affinity', anti: 'anti-affinity' } as const;

class Scheduler {
  private readonly problems: InputProblem[] = [];
  private readonly unschedulable: UnschedulablePod[] = [];
  private readonly index: ResourceIndex;
  private readonly pools: NodePoolTemplate[] = [];
  private readonly targets: ExistingTarget[] = [];
  private readonly claims: PlannedClaim[] = [];
  private readonly topologyGroups = new Map<string, TopologyGroup>();
  private readonly domainSources = new Map<string, { domain: string; taints: readonly Taint[]; requirements: Requirements }[]>();
  private readonly compatibleTypes = new Map<NodePoolTemplate, Map<string, TypeOption[]>>();
  private readonly daemons: CompiledDaemon[] = [];
  private readonly entries: PodEntry[] = [];
  private readonly maxInstanceTypes: number;
  private claimCounter = 0;
  private probeTotal: Float64Array | undefined;
  private slackIndex!: SlackIndex;

  constructor(private readonly input: SchedulingInput) {
    this.maxInstanceTypes = input.options?.maxInstanceTypes ?? 60;
    const compiledPods = this.compilePods();
    for (const daemonSet of input.daemonSets ?? []) {
      try {
        this.daemons.push(compileDaemon(daemonSet));
      } catch (error) {
        this.problem(`daemonset ${daemonSet.metadata?.namespace ?? 'default'}/${daemonSet.metadata?.name ?? ''}`, error, 'spec.template');
      }
    }
    const names = new Set(['cpu', 'memory', 'pods']);
    for (const [, compiled] of compiledPods) for (const name of Object.keys(compiled.requests)) names.add(name);
    for (const daemon of this.daemons) for (const name of Object.keys(daemon.requests)) names.add(name);
    for (const pool of input.nodePools) for (const name of Object.keys(pool.spec?.limits ?? {})) if (name !== 'nodes') names.add(name);
    this.index = new ResourceIndex(names);
    this.slackIndex = new SlackIndex(this.index.names.length);
    this.compilePools(input.nodePools);
    for (const cluster of input.nodes ?? []) this.addNode(cluster);
    for (const inFlight of input.nodeClaims ?? []) this.addInFlight(inFlight);
    this.groupPods(compiledPods);
    this.countExistingPods();
  }

  run(): SchedulingResult {
    for (const entry of this.entries) this.place(entry);
    return {
      nodeClaims: this.claims.map((claim) => toNodeClaimPlan(claim, this.index, this.maxInstanceTypes)),
      existingPlacements: this.targets
        .filter((t) => t.placed.length > 0)
        .map((t): ExistingPlacement => ({ kind: t.kind, name: t.name, pods: t.placed })),
      unschedulable: this.unschedulable,
      problems: this.problems,
    };
  }

  private problem(object: string, error: unknown, fallbackField: string): void {
    const field = error instanceof FieldError ? error.field : fallbackField;
    this.problems.push({ object, field, message: error instanceof Error ? error.message : String(error) });
  }

  // ---- input ----

  private compilePods(): Map<Pod, CompiledPod> {
    const compiled = new Map<Pod, CompiledPod>();
    // Replicas share their spec: parse each distinct (namespace, labels, spec) once.
    const bySpec = new Map<string, CompiledPod>();
    for (const pod of this.input.pods) {
      try {
        const key = JSON.stringify([pod.metadata?.namespace, pod.metadata?.labels, pod.spec]);
        let parsed = bySpec.get(key);
        if (!parsed) bySpec.set(key, (parsed = compilePod(pod, this.input.volumeZones ?? {})));
        compiled.set(pod, parsed);
      } catch (error) {
        this.problem(describePod(pod), error, 'spec');
        const message = error instanceof Error ? error.message : String(error);
        const field = error instanceof FieldError ? ` ${error.field}` : '';
        this.unschedulable.push({ pod: podRef(pod), reasons: [`invalid pod:${field} ${message}`] });
      }
    }
    return compiled;
  }

  private compilePools(nodePools: readonly NodePoolLike[]): void {
    const typeRequirements = new Map<InstanceType, Requirements>();
    const requirementsOf = (type: InstanceType): Requirements => {
      let requirements = typeRequirements.get(type);
      if (!requirements) typeRequirements.set(type, (requirements = instanceTypeRequirements(type)));
      return requirements;
    };
    for (const pool of nodePools) {
      const name = pool.metadata?.name ?? '';
      try {
        this.pools.push(compileNodePool(pool, this.input.instanceTypes[name] ?? [], this.daemons, this.index, requirementsOf));
      } catch (error) {
        this.problem(`nodepool ${name}`, error, 'spec');
      }
    }
    this.pools.sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Capacity already in use counts against the limits.
    for (const cluster of this.input.nodes ?? []) {
      const pool = this.pools.find((p) => p.name === cluster.node.metadata?.labels?.[Labels.nodePool]);
      if (pool) this.useLimits(pool, this.safeResources(cluster.node.status?.capacity));
    }
    for (const { nodeClaim } of this.input.nodeClaims ?? []) {
      if (nodeClaim.status?.nodeName) continue; // counted as a node
      const pool = this.pools.find((p) => p.name === nodeClaim.metadata?.labels?.[Labels.nodePool]);
      if (!pool) continue;
      const capacity = this.safeResources(nodeClaim.status?.capacity);
      if (Object.keys(capacity).length === 0) {
        // Not launched yet: it may still become its largest instance type, as a planned claim would.
        let requirements: Requirements | undefined;
        try {
          requirements = Requirements.from(nodeClaim.spec?.requirements);
        } catch {
          // Reported when the NodeClaim is read as capacity.
        }
        for (const t of pool.types) {
          if (!requirements || requirements.intersects(t.requirements) !== undefined) continue;
          for (const position of pool.limited) {
            const resource = this.index.names[position];
            capacity[resource] = Math.max(capacity[resource] ?? 0, t.capacity[position]);
          }
        }
      }
      this.useLimits(pool, capacity);
    }
  }

  private useLimits(pool: NodePoolTemplate, capacity: Readonly<Record<string, number>>): void {
    for (const position of pool.limited) pool.remaining[position] -= capacity[this.index.names[position]] ?? 0;
    pool.remainingNodes -= 1;
  }

  private safeResources(list: Parameters<typeof parseResourceList>[0]): Record<string, number> {
    try {
      return parseResourceList(list, 'resources');
    } catch {
      return {};
    }
  }

  private addNode({ node, pods = [], markedForDeletion }: ClusterNode): void {
    const name = node.metadata?.name ?? '';
    const labels = node.metadata?.labels ?? {};
    const hostname = labels[Labels.hostname] ?? name;
    let allocatable: Record<string, number> = {};
    try {
      allocatable = parseResourceList(node.status?.allocatable, 'status.allocatable');
    } catch (error) {
      this.problem(`node ${name}`, error, 'status.allocatable');
    }
    const requirements = Requirements.fromLabels({ ...labels, [Labels.hostname]: hostname });
    const schedulable = !node.spec?.unschedulable && !markedForDeletion && !node.metadata?.deletionTimestamp;
    this.addTarget({ kind: 'node', name, hostname, requirements, taints: node.spec?.taints ?? [], knownKeys: noKnownKeys, schedulable }, allocatable, pods, {});
  }

  private addInFlight({ nodeClaim, pods = [] }: InFlightNodeClaim): void {
    const name = nodeClaim.metadata?.name ?? '';
    const pool = this.pools.find((p) => p.name === nodeClaim.metadata?.labels?.[Labels.nodePool]);
    let requirements: Requirements;
    try {
      requirements = Requirements.from(nodeClaim.spec?.requirements).intersect(Requirements.fromLabels(nodeClaim.metadata?.labels));
    } catch (error) {
      this.problem(`nodeclaim ${name}`, error, 'spec.requirements');
      return;
    }
    let allocatable = this.safeResources(nodeClaim.status?.allocatable);
    let used: Record<string, number> = {};
    if (Object.keys(allocatable).length === 0 && pool) {
      // Not launched yet: assume the smallest instance type it may become, after daemons.
      const candidates = pool.types.filter((t) => requirements.intersects(t.requirements) === undefined);
      allocatable = {};
      this.index.names.forEach((resource, i) => {
        allocatable[resource] = candidates.length ? Math.min(...candidates.map((t) => t.available[i])) : 0;
      });
    } else {
      used = this.safeResources(nodeClaim.spec?.resources?.requests);
    }
    const hostname = requirements.get(Labels.hostname)?.singleValue() ?? name;
    this.addTarget(
      {
        kind: 'nodeclaim',
        name,
        hostname,
        requirements: requirements.with(Requirement.in(Labels.hostname, [hostname])),
        taints: nodeClaim.spec?.taints ?? [],
        knownKeys: pool?.knownKeys ?? noKnownKeys,
        schedulable: !nodeClaim.metadata?.deletionTimestamp,
      },
      allocatable,
      pods,
      used,
    );
  }

  /** Adds a node or in-flight NodeClaim; its pods (or `reserved`, whichever is larger) use its allocatable. */
  private addTarget(
    target: Pick<ExistingTarget, 'kind' | 'name' | 'hostname' | 'requirements' | 'taints' | 'knownKeys' | 'schedulable'>,
    allocatable: Record<string, number>,
    pods: readonly Pod[],
    reserved: Record<string, number>,
  ): void {
    const remaining = this.index.vector({ pods: 110, ...allocatable }); // the kubelet default when not reported
    const ports: HostPort[] = [];
    const podUse: Record<string, number> = {};
    for (const pod of pods) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      try {
        const compiled = compilePod(pod, {});
        for (const [resource, amount] of Object.entries(compiled.requests)) podUse[resource] = (podUse[resource] ?? 0) + amount;
        ports.push(...compiled.hostPorts);
      } catch (error) {
        this.problem(describePod(pod), error, 'spec');
      }
    }
    for (const resource of new Set([...Object.keys(podUse), ...Object.keys(reserved)])) {
      const position = this.index.position(resource);
      if (position !== undefined) remaining[position] -= Math.max(podUse[resource] ?? 0, reserved[resource] ?? 0);
    }
    this.targets.push({ ...target, remaining, ports, pods, placed: [] });
  }

  // ---- pod groups and topology ----

  private groupPods(compiledPods: Map<Pod, CompiledPod>): void {
    const groups = new Map<string, PodGroup>();
    const pending: Array<{ pod: Pod; compiled: CompiledPod }> = [];
    for (const [pod, compiled] of compiledPods) pending.push({ pod, compiled });
    const invalid = new Map<string, string>();
    // Build every group's first variant up front so all topology groups exist before counting.
    for (const { pod, compiled } of pending) {
      if (groups.has(compiled.signature) || invalid.has(compiled.signature)) continue;
      try {
        groups.set(compiled.signature, this.podGroup(compiled));
      } catch (error) {
        this.problem(describePod(pod), error, 'spec.affinity');
        invalid.set(compiled.signature, `invalid pod: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // Existing pods' required anti-affinity repels pending pods too.
    for (const target of this.targets) {
      for (const pod of target.pods) {
        const pseudo = { namespace: pod.metadata?.namespace ?? 'default', labels: pod.metadata?.labels ?? {} } as CompiledPod;
        for (const term of pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
          try {
            const { group } = this.affinityGroup(topologyKinds.anti, term, pseudo);
            const domain = this.domainOf(target, group.key);
            if (domain !== undefined) group.record(domain, false, true);
          } catch (error) {
            this.problem(describePod(pod), error, 'spec.affinity.podAntiAffinity');
          }
        }
      }
    }
    for (const group of groups.values()) {
      const { namespace, labels } = group.compiled;
      const selecting = [...this.topologyGroups.values()].filter((g) => g.selects(namespace, labels));
      Object.assign(group, { selecting, inverse: selecting.filter((g) => g.kind === 'anti-affinity') });
    }
    let order = 0;
    for (const { pod, compiled } of pending) {
      const group = groups.get(compiled.signature);
      if (group) this.entries.push({ ref: podRef(pod), group, order: order++ });
      else this.unschedulable.push({ pod: podRef(pod), reasons: [invalid.get(compiled.signature)!] });
    }
    const cpu = this.index.position('cpu')!;
    const memory = this.index.position('memory')!;
    this.entries.sort(
      (a, b) =>
        b.group.requests[cpu] - a.group.requests[cpu] ||
        b.group.requests[memory] - a.group.requests[memory] ||
        (a.group.compiled.signature < b.group.compiled.signature ? -1 : a.group.compiled.signature > b.group.compiled.signature ? 1 : 0) ||
        a.order - b.order,
    );
  }

  /** A group for identical pods, with its first (unrelaxed) variant. Throws for an invalid label selector. */
  private podGroup(compiled: CompiledPod): PodGroup {
    const requiredAnti = compiled.antiAffinity.map((term) => this.affinityGroup(topologyKinds.anti, term, compiled).group);
    const group: PodGroup = { compiled, requests: this.index.vector(compiled.requests), variants: [], selecting: [], inverse: [], requiredAnti };
    const ignore = this.input.options?.ignorePreferences ?? false;
    const preferences: Preferences = {
      affinity: ignore ? [] : compiled.preferredAffinity,
      antiAffinity: ignore ? [] : compiled.preferredAntiAffinity,
      node: ignore ? [] : compiled.preferredNode,
      scheduleAnyway: ignore ? [] : compiled.spreads.filter((s) => s.whenUnsatisfiable === 'ScheduleAnyway'),
      toleratePreferNoSchedule: ignore,
    };
    group.variants.push(this.variant(compiled, preferences));
    return group;
  }

  private variant(compiled: CompiledPod, preferences: Preferences): PodVariant {
    const preferredNode = preferences.node[0]?.term;
    const alternatives = compiled.nodeAlternatives.map((alternative) => {
      let requirements = alternative.intersect(compiled.volumeRequirements);
      if (preferredNode) requirements = requirements.intersect(preferredNode);
      return requirements;
    });
    const owned: OwnedConstraint[] = [];
    const spreads = [...compiled.spreads.filter((s) => s.whenUnsatisfiable !== 'ScheduleAnyway'), ...preferences.scheduleAnyway];
    for (const spread of spreads) owned.push(this.spreadGroup(spread, compiled));
    for (const term of [...compiled.affinity, ...preferences.affinity.map((w) => w.term)]) owned.push(this.affinityGroup(topologyKinds.affinity, term, compiled));
    for (const term of [...compiled.antiAffinity, ...preferences.antiAffinity.map((w) => w.term)]) owned.push(this.affinityGroup(topologyKinds.anti, term, compiled));
    return {
      preferences,
      alternatives,
      owned,
      openClaims: [],
      seenClaims: 0,
      rejectedClaims: new Set(),
      openTargets: undefined,
      toleratesPool: new Map(),
    };
  }

  private spreadGroup(spread: TopologySpreadConstraint, compiled: CompiledPod): OwnedConstraint {
    const extra = (spread.matchLabelKeys ?? [])
      .filter((key) => key in compiled.labels)
      .map((key) => ({ key, operator: 'In', values: [compiled.labels[key]] }));
    const selector = compileSelector(spread.labelSelector, extra);
    const honorAffinity = (spread.nodeAffinityPolicy ?? 'Honor') === 'Honor';
    const honorTaints = spread.nodeTaintsPolicy === 'Honor';
    const filter = {
      alternatives: honorAffinity ? compiled.nodeAlternatives : undefined,
      tolerations: honorTaints ? compiled.tolerations : undefined,
    };
    const group = this.topologyGroup(
      'spread',
      normalizeLabelKey(spread.topologyKey),
      new Set([compiled.namespace]),
      selector,
      Math.max(1, spread.maxSkew),
      spread.minDomains ?? 1,
      filter,
    );
    return { group, selfMatch: group.selects(compiled.namespace, compiled.labels) };
  }

  private affinityGroup(kind: TopologyKind, term: PodAffinityTerm, compiled: CompiledPod): OwnedConstraint {
    const extra = [
      ...(term.matchLabelKeys ?? []).filter((k) => k in compiled.labels).map((key) => ({ key, operator: 'In', values: [compiled.labels[key]] })),
      ...(term.mismatchLabelKeys ?? []).filter((k) => k in compiled.labels).map((key) => ({ key, operator: 'NotIn', values: [compiled.labels[key]] })),
    ];
    const selector = compileSelector(term.labelSelector, extra);
    const group = this.topologyGroup(kind, normalizeLabelKey(term.topologyKey), this.termNamespaces(term, compiled.namespace), selector, 0, 0, {});
    return { group, selfMatch: group.selects(compiled.namespace, compiled.labels) };
  }

  private termNamespaces(term: PodAffinityTerm, own: string): ReadonlySet<string> | undefined {
    const listed = new Set(term.namespaces ?? []);
    const selector: LabelSelector | undefined = term.namespaceSelector;
    if (selector) {
      if (!selector.matchLabels && !selector.matchExpressions?.length) return undefined; // {} selects every namespace
      const matches = compileSelector(selector).matches;
      for (const [namespace, labels] of Object.entries(this.input.namespaceLabels ?? {})) if (matches(labels)) listed.add(namespace);
      return listed;
    }
    return listed.size ? listed : new Set([own]);
  }

  private topologyGroup(
    kind: TopologyKind,
    key: string,
    namespaces: ReadonlySet<string> | undefined,
    selector: ReturnType<typeof compileSelector>,
    maxSkew: number,
    minDomains: number,
    filter: TopologyGroup['filter'],
  ): TopologyGroup {
    const id = JSON.stringify([
      kind,
      key,
      namespaces ? [...namespaces].sort() : null,
      selector.key,
      maxSkew,
      minDomains,
      filter.alternatives?.map(String) ?? null,
      filter.tolerations ?? null,
    ]);
    let group = this.topologyGroups.get(id);
    if (!group) {
      const domains = new Set<string>();
      if (key !== Labels.hostname) {
        for (const source of this.sourcesFor(key)) {
          if (filter.tolerations && untoleratedTaint(source.taints, filter.tolerations, false)) continue;
          if (filter.alternatives && !filter.alternatives.some((a) => (a.get(key)?.has(source.domain) ?? true) && source.requirements.intersects(a) === undefined)) continue;
          domains.add(source.domain);
        }
      }
      group = new TopologyGroup(kind, key, namespaces, selector, maxSkew, minDomains, filter, domains);
      this.topologyGroups.set(id, group);
    }
    return group;
  }

  /** Every domain a topology key can take: from NodePools (requirements, instance types, offerings) and nodes. */
  private sourcesFor(key: string): { domain: string; taints: readonly Taint[]; requirements: Requirements }[] {
    let sources = this.domainSources.get(key);
    if (sources) return sources;
    sources = [];
    for (const pool of this.pools) {
      const values = new Set<string>();
      const poolRequirement = pool.requirements.get(key);
      for (const option of pool.types) {
        if (key === Labels.zone) for (const o of option.offerings) values.add(o.zone);
        else if (key === Labels.capacityType) for (const o of option.offerings) values.add(o.capacityType);
        else for (const v of option.requirements.get(key)?.finiteValues() ?? []) values.add(v);
      }
      for (const v of poolRequirement?.finiteValues() ?? []) values.add(v);
      for (const domain of values) {
        if (!poolRequirement || poolRequirement.has(domain)) sources.push({ domain, taints: pool.taints, requirements: pool.requirements });
      }
    }
    for (const target of this.targets) {
      const domain = target.requirements.get(key)?.singleValue();
      if (domain !== undefined) sources.push({ domain, taints: target.taints, requirements: target.requirements });
    }
    this.domainSources.set(key, sources);
    return sources;
  }

  private countExistingPods(): void {
    const groups = [...this.topologyGroups.values()];
    for (const target of this.targets) {
      for (const pod of target.pods) {
        const namespace = pod.metadata?.namespace ?? 'default';
        const labels = pod.metadata?.labels ?? {};
        for (const group of groups) {
          if (!group.selects(namespace, labels) || !group.counted(target)) continue;
          const domain = this.domainOf(target, group.key);
          if (domain !== undefined) group.record(domain, true, false);
        }
      }
    }
  }

  private domainOf(target: TopologyTarget, key: string): string | undefined {
    if (key === Labels.hostname) return target.hostname;
    return target.requirements.get(key)?.singleValue();
  }

  // ---- placement ----

  private place(entry: PodEntry): void {
    const { group } = entry;
    let reasons: string[] = [];
    for (let level = 0; ; level++) {
      if (level === group.variants.length) {
        const next = relax(group.variants[level - 1].preferences);
        if (!next) break;
        group.variants.push(this.variant(group.compiled, next));
      }
      const variant = group.variants[level];
      if (this.placeOnExisting(entry, variant) || this.placeOnClaims(entry, variant)) return;
      const result = this.openClaim(entry, variant);
      if (!Array.isArray(result)) return;
      reasons = result;
    }
    if (this.pools.length === 0) reasons = ['no NodePool can be used (none given, or all invalid)'];
    this.unschedulable.push({ pod: entry.ref, reasons });
  }

  private tolerates(variant: PodVariant, compiled: CompiledPod, taints: readonly Taint[]): Taint | undefined {
    return untoleratedTaint(taints, compiled.tolerations, !variant.preferences.toleratePreferNoSchedule);
  }

  private placeOnExisting(entry: PodEntry, variant: PodVariant): boolean {
    const { group } = entry;
    const { compiled, requests } = group;
    const open = (variant.openTargets ??= this.targets.map((_, i) => i));
    let kept = 0;
    let i = 0;
    for (; i < open.length; i++) {
      const target = this.targets[open[i]];
      open[kept++] = open[i];
      const never =
        !target.schedulable ||
        !fits(requests, target.remaining) ||
        this.tolerates(variant, compiled, target.taints) !== undefined ||
        !variant.alternatives.some((a) => target.requirements.compatible(a, target.knownKeys) === undefined) ||
        compiled.hostPorts.some((p) => target.ports.some((q) => hostPortsConflict(p, q)));
      const choice = never ? undefined : chooseDomains(variant.owned, group.inverse, (key) => this.domainOf(target, key));
      if (!choice || ('reason' in choice && choice.permanent)) kept--;
      if (!choice || 'reason' in choice) continue;
      for (let r = 0; r < requests.length; r++) target.remaining[r] -= requests[r];
      target.ports.push(...compiled.hostPorts);
      target.placed.push(entry.ref);
      this.record(group, target);
      return this.compact(open, kept, i + 1);
    }
    open.length = kept;
    return false;
  }

  /**
   * First the claims that take the pod without needing a bigger (pricier) instance type, then
   * the first claim that takes it at all: fills the gaps of small nodes before growing any.
   */
  private placeOnClaims(entry: PodEntry, variant: PodVariant): boolean {
    while (variant.seenClaims < this.claims.length) variant.openClaims.push(variant.seenClaims++);
    return this.scanClaims(entry, variant, true) || this.scanClaims(entry, variant, false);
  }

  /** Tries the variant's open claims in order, dropping those it can never use; `withinSlack` skips claims that would have to grow. */
  private scanClaims(entry: PodEntry, variant: PodVariant, withinSlack: boolean): boolean {
    const { requests } = entry.group;
    const open = variant.openClaims;
    // Many open claims: let the slack index skip the ones without room instead of visiting each.
    if (withinSlack && open.length > slackIndexThreshold) return this.scanSlackIndex(entry, variant);
    let kept = 0;
    const candidates: { claim: PlannedClaim; increase: number }[] = [];
    let i = 0;
    for (; i < open.length && candidates.length < growCandidates; i++) {
      const claim = this.claims[open[i]];
      open[kept++] = open[i];
      if (variant.rejectedClaims.has(open[i])) {
        kept--;
        continue;
      }
      if (withinSlack && !fits(requests, claim.slack)) continue;
      const outcome = this.tryClaim(entry, variant, claim, !withinSlack, withinSlack);
      if (outcome === 'permanent') kept--;
      if (typeof outcome !== 'number') continue;
      if (withinSlack) return this.compact(open, kept, i + 1);
      candidates.push({ claim, increase: outcome });
    }
    this.compact(open, kept, i);
    // Cheapest growth first; a commit can still fail where the estimate could not see minValues.
    candidates.sort((a, b) => a.increase - b.increase);
    return candidates.some(({ claim }) => typeof this.tryClaim(entry, variant, claim, true, true) === 'number');
  }

  /** The same as the `withinSlack` scan of the open list, visiting only claims with room. */
  private scanSlackIndex(entry: PodEntry, variant: PodVariant): boolean {
    const { requests } = entry.group;
    for (let i = this.slackIndex.next(0, requests); i >= 0; i = this.slackIndex.next(i + 1, requests)) {
      if (variant.rejectedClaims.has(i)) continue;
      const outcome = this.tryClaim(entry, variant, this.claims[i], false, true);
      if (typeof outcome === 'number') return true;
      if (outcome === 'permanent') variant.rejectedClaims.add(i);
    }
    return false;
  }

  /** Drops the rejected claims from a variant's open list, keeping the rest in order. */
  private compact(open: number[], kept: number, from: number): true {
    for (let i = from; i < open.length; i++) open[kept++] = open[i];
    open.length = kept;
    return true;
  }

  private poolTolerated(variant: PodVariant, compiled: CompiledPod, pool: NodePoolTemplate): boolean {
    let tolerated = variant.toleratesPool.get(pool);
    if (tolerated === undefined) {
      tolerated = this.tolerates(variant, compiled, pool.taints) === undefined;
      variant.toleratesPool.set(pool, tolerated);
    }
    return tolerated;
  }

  /** `mayNarrow`: whether the claim's requirements may be narrowed for the pod (pinning a zone, say). */
  private tryClaim(entry: PodEntry, variant: PodVariant, claim: PlannedClaim, mayNarrow: boolean, commit: boolean): Outcome {
    const { group } = entry;
    const { compiled, requests } = group;
    if (!this.poolTolerated(variant, compiled, claim.pool)) return 'permanent';
    for (let r = 0; r < requests.length; r++) if (claim.requests[r] + requests[r] > claim.maxAvailable[r]) return 'permanent';
    if (compiled.hostPorts.some((p) => claim.ports.some((q) => hostPortsConflict(p, q)))) return 'permanent';
    let outcome: Outcome = 'permanent';
    for (const alternative of variant.alternatives) {
      if (claim.requirements.compatible(alternative, claim.pool.knownKeys) !== undefined) continue;
      const result = this.tryClaimWith(entry, variant, claim, mayNarrow, alternative, commit);
      if (typeof result === 'number') return result;
      if (result === 'temporary') outcome = result;
    }
    return outcome;
  }

  /** Adds the pod under one node-affinity alternative (or, without `commit`, only says what it would cost). */
  private tryClaimWith(entry: PodEntry, variant: PodVariant, claim: PlannedClaim, mayNarrow: boolean, alternative: Requirements, commit: boolean): Outcome {
    const { group } = entry;
    const { compiled, requests } = group;
    const base = claim.requirements.narrowedBy(alternative);
    const choice = chooseDomains(variant.owned, group.inverse, (key) => this.claimDomain(base, claim.hostname, key));
    if ('reason' in choice) return choice.permanent ? 'permanent' : 'temporary';
    const narrowed = this.pinDomains(base, choice.domains);
    const changed = narrowed !== claim.requirements;
    if (changed && !mayNarrow) return 'temporary';
    // A probe only reads the sum, so it reuses one buffer instead of allocating.
    const total = commit ? new Float64Array(requests.length) : (this.probeTotal ??= new Float64Array(requests.length));
    for (let r = 0; r < requests.length; r++) total[r] = claim.requests[r] + requests[r];
    const allowed = changed ? offeringFilter(narrowed) : undefined;
    const keep = (t: TypeOption) => fits(total, t.available) && (!allowed || (narrowed.intersects(t.requirements) === undefined && t.offerings.some(allowed)));
    const rejection = changed ? 'temporary' : 'permanent';
    if (!commit) {
      // Types stay in price order, so the first that still fits is the new cheapest.
      for (const t of claim.types) if (keep(t)) return t.price - claim.types[0].price;
      return rejection;
    }
    const types = claim.types.every(keep) ? claim.types : claim.types.filter(keep);
    if (types.length === 0 || !this.meetsMinValues(narrowed, types)) return rejection;
    const increase = types[0].price - claim.types[0].price;
    claim.requirements = narrowed;
    claim.requests = total;
    this.setTypes(claim, types);
    claim.ports.push(...compiled.hostPorts);
    claim.pods.push(entry.ref);
    this.record(group, claim);
    return increase;
  }

  /** A fixed domain (hostname, single value), or the requirement bounding the domains a claim may still take. */
  private claimDomain(requirements: Requirements, hostname: string, key: string): string | Requirement {
    if (key === Labels.hostname) return hostname;
    const requirement = requirements.get(key);
    return requirement?.singleValue() ?? requirement ?? Requirement.exists(key);
  }

  /** Narrows requirements to the chosen topology domains (hostnames are the claim itself). */
  private pinDomains(requirements: Requirements, domains: ReadonlyMap<string, string>): Requirements {
    let result = requirements;
    for (const [key, domain] of domains) if (key !== Labels.hostname) result = result.narrowedBy(new Requirements([Requirement.in(key, [domain])]));
    return result;
  }


  private meetsMinValues(requirements: Requirements, types: readonly TypeOption[]): boolean {
    for (const requirement of requirements.values()) {
      if (requirement.minValues === undefined) continue;
      const values = new Set<string>();
      for (const t of types) for (const v of t.requirements.get(requirement.key)?.finiteValues() ?? []) if (requirement.has(v)) values.add(v);
      if (values.size < requirement.minValues) return false;
    }
    return true;
  }

  /** Narrows a claim's instance types and gives back the limit headroom it no longer needs. */
  private setTypes(claim: PlannedClaim, types: readonly TypeOption[]): void {
    if (types === claim.types) {
      for (let r = 0; r < claim.slack.length; r++) claim.slack[r] = types[0].available[r] - claim.requests[r];
      this.slackIndex.set(claim.position, claim.slack);
      return;
    }
    claim.types = types;
    const max = new Float64Array(claim.maxAvailable.length).fill(-Infinity);
    for (const t of types) for (let r = 0; r < max.length; r++) if (t.available[r] > max[r]) max[r] = t.available[r];
    claim.maxAvailable = max;
    claim.slack = types[0].available.map((value, r) => value - claim.requests[r]);
    this.slackIndex.set(claim.position, claim.slack);
    const { pool } = claim;
    for (const position of pool.limited) {
      let reserve = 0;
      for (const t of types) reserve = Math.max(reserve, t.capacity[position]);
      pool.remaining[position] += claim.reserved[position] - reserve;
      claim.reserved[position] = reserve;
    }
  }

  /** Opens a new NodeClaim for the pod from the first NodePool (by weight) that can take it; else one reason per pool. */
  private openClaim(entry: PodEntry, variant: PodVariant): PlannedClaim | string[] {
    const reasons: string[] = [];
    for (const pool of this.pools) {
      const result = this.claimFromPool(entry, variant, pool);
      if (typeof result !== 'string') return result;
      reasons.push(`nodepool ${pool.name}: ${result}`);
    }
    return reasons;
  }

  private claimFromPool(entry: PodEntry, variant: PodVariant, pool: NodePoolTemplate): PlannedClaim | string {
    const { compiled } = entry.group;
    const taint = this.tolerates(variant, compiled, pool.taints);
    if (taint) return `taint ${formatTaint(taint)} not tolerated`;
    const daemonPort = pool.daemonPorts.find(({ port }) => compiled.hostPorts.some((p) => hostPortsConflict(p, port)));
    if (daemonPort) return `host port ${formatHostPort(daemonPort.port)} is taken by DaemonSet ${daemonPort.daemon}`;
    const hostname = `${pool.name}-${this.claimCounter + 1}`;
    const poolRequirements = pool.requirements.with(Requirement.in(Labels.hostname, [hostname]));
    let reason: string | undefined;
    for (const alternative of variant.alternatives) {
      const incompatible = poolRequirements.compatible(alternative, pool.knownKeys);
      const result = incompatible ?? this.claimFromAlternative(entry, variant, pool, hostname, poolRequirements.intersect(alternative));
      if (typeof result !== 'string') return result;
      reason ??= result;
    }
    return reason ?? 'no node selector term';
  }

  private claimFromAlternative(entry: PodEntry, variant: PodVariant, pool: NodePoolTemplate, hostname: string, base: Requirements): PlannedClaim | string {
    const { group } = entry;
    const { compiled, requests } = group;
    const choice = chooseDomains(variant.owned, group.inverse, (key) => this.claimDomain(base, hostname, key));
    if ('reason' in choice) return choice.reason;
    const requirements = this.pinDomains(base, choice.domains);

    const compatible = this.typesFor(pool, requirements);
    if (compatible.length === 0) return this.explainNoType(pool, requirements);
    if (pool.remainingNodes < 1) return `limit nodes ${pool.limits.nodes} reached`;
    const fitting = compatible.filter((t) => fits(requests, t.available));
    if (fitting.length === 0) return this.explainNoFit(requests, compatible);
    const withinLimits = fitting.filter((t) => pool.limited.every((p) => t.capacity[p] <= pool.remaining[p]));
    if (withinLimits.length === 0) {
      const position = pool.limited.find((p) => fitting.every((t) => t.capacity[p] > pool.remaining[p]))!;
      const resource = this.index.names[position];
      return `limit ${resource} ${formatQuantity(pool.limits[resource], resource)} reached`;
    }
    if (!this.meetsMinValues(requirements, withinLimits)) return `fewer instance types than minValues require fit the pod (${this.minValuesText(requirements)})`;

    this.claimCounter++;
    const ports = [...pool.daemonPorts.map((d) => d.port), ...compiled.hostPorts];
    const claim = new PlannedClaim(this.claims.length, pool, hostname, requirements, Float64Array.from(requests), ports, [entry.ref]);
    pool.remainingNodes -= 1;
    this.setTypes(claim, withinLimits);
    this.claims.push(claim);
    this.record(group, claim);
    return claim;
  }

  /** Instance types of a pool compatible with requirements and with an offering they allow (cached per requirement set). */
  private typesFor(pool: NodePoolTemplate, requirements: Requirements): TypeOption[] {
    let cache = this.compatibleTypes.get(pool);
    if (!cache) this.compatibleTypes.set(pool, (cache = new Map()));
    const withoutHostname = [...requirements.values()].filter((r) => r.key !== Labels.hostname);
    const key = withoutHostname.map(String).join('|');
    let types = cache.get(key);
    if (!types) {
      const allowed = offeringFilter(requirements);
      types = pool.types.filter((t) => requirements.intersects(t.requirements) === undefined && t.offerings.some(allowed));
      cache.set(key, types);
    }
    return types;
  }

  private explainNoType(pool: NodePoolTemplate, requirements: Requirements): string {
    if (pool.types.length === 0) return 'no instance type is available to this NodePool (check its requirements and the instance types offered)';
    for (const requirement of requirements.values()) {
      if (requirement.key === Labels.hostname) continue;
      const matching = pool.types.filter((t) => {
        const typeRequirement = t.requirements.get(requirement.key);
        if (requirement.key === Labels.zone) return t.offerings.some((o) => requirement.has(o.zone));
        if (requirement.key === Labels.capacityType) return t.offerings.some((o) => requirement.has(o.capacityType));
        return !typeRequirement || typeRequirement.intersects(requirement);
      });
      if (matching.length === 0) return `no instance type matches ${requirement}`;
    }
    return `no instance type has an available offering matching ${requirements.toString()}`;
  }

  private explainNoFit(requests: Float64Array, types: readonly TypeOption[]): string {
    for (let r = 0; r < requests.length; r++) {
      if (requests[r] === 0) continue;
      const largest = Math.max(...types.map((t) => t.available[r]));
      if (largest < requests[r]) {
        const resource = this.index.names[r];
        const needed = formatQuantity(requests[r], resource);
        return resource === 'pods'
          ? `no instance type has room for another pod (max pods reached)`
          : `no instance type has ${needed} ${resource} after overhead (largest: ${formatQuantity(Math.max(0, largest), resource)})`;
      }
    }
    const needs = this.index.names.map((name, r) => (requests[r] ? `${formatQuantity(requests[r], name)} ${name}` : '')).filter(Boolean);
    return `no instance type fits ${needs.join(', ')} together after overhead`;
  }

  private minValuesText(requirements: Requirements): string {
    return [...requirements.values()]
      .filter((r) => r.minValues !== undefined)
      .map((r) => `${r.key} minValues ${r.minValues}`)
      .join(', ');
  }

  /** Updates the topology counts for a pod placed on a target. */
  private record(group: PodGroup, target: TopologyTarget): void {
    for (const topologyGroup of group.selecting) {
      const domain = this.domainOf(target, topologyGroup.key);
      if (domain !== undefined && topologyGroup.counted(target)) topologyGroup.record(domain, true, false);
    }
    for (const topologyGroup of group.requiredAnti) {
      const domain = this.domainOf(target, topologyGroup.key);
      if (domain !== undefined) topologyGroup.record(domain, false, true);
    }
  }
}
