import type { InstanceType, Offering } from '@karpenter-ts/api';
import { Labels, WellKnownLabels } from '@karpenter-ts/api';
import type { DaemonSet, NodePoolLike, Taint } from './kubernetes.js';
import { FieldError } from './field-error.js';
import type { HostPort } from './pod.js';
import { compilePod } from './pod.js';
import { Requirement, Requirements } from './requirements.js';
import type { ResourceIndex } from './resources.js';
import { parseResourceList } from './resources.js';
import { untoleratedTaint } from './taints.js';

/** A DaemonSet's pod template, parsed. */
export interface CompiledDaemon {
  readonly name: string;
  readonly requests: Readonly<Record<string, number>>;
  readonly alternatives: readonly Requirements[];
  readonly tolerations: ReturnType<typeof compilePod>['tolerations'];
  readonly hostPorts: readonly HostPort[];
}

export function compileDaemon(daemonSet: DaemonSet): CompiledDaemon {
  const template = daemonSet.spec?.template ?? {};
  const compiled = compilePod({ metadata: { ...template.metadata, namespace: daemonSet.metadata?.namespace }, spec: template.spec }, {});
  return {
    name: `${daemonSet.metadata?.namespace ?? 'default'}/${daemonSet.metadata?.name ?? ''}`,
    requests: compiled.requests,
    alternatives: compiled.nodeAlternatives,
    tolerations: compiled.tolerations,
    hostPorts: compiled.hostPorts,
  };
}

/** An instance type as a NodePool may launch it. */
export interface TypeOption {
  readonly type: InstanceType;
  readonly requirements: Requirements;
  /** Allocatable minus the overhead of the daemons that land on this type in this pool. */
  readonly available: Float64Array;
  readonly overhead: Float64Array;
  readonly capacity: Float64Array;
  /** Available offerings allowed by the NodePool's requirements. */
  readonly offerings: readonly Offering[];
  /** The cheapest of those offerings (USD/hour). */
  readonly price: number;
}

/** A NodePool prepared for scheduling: its requirements, taints, instance types, limits. */
export interface NodePoolTemplate {
  readonly name: string;
  readonly weight: number;
  readonly requirements: Requirements;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly startupTaints: readonly Taint[];
  /** Label keys the pool's nodes will carry values for. */
  readonly knownKeys: ReadonlySet<string>;
  readonly types: readonly TypeOption[];
  readonly daemonPorts: readonly { readonly daemon: string; readonly port: HostPort }[];
  /** Remaining limit per resource position (Infinity when unlimited); `nodes` separately. */
  readonly remaining: Float64Array;
  remainingNodes: number;
  readonly limited: readonly number[];
  readonly limits: Readonly<Record<string, number>>;
}

/** A test for offerings allowed by requirements on zone and capacity type. */
export function offeringFilter(requirements: Requirements): (offering: Offering) => boolean {
  const zone = requirements.get(Labels.zone);
  const capacityType = requirements.get(Labels.capacityType);
  return (offering) => (!zone || zone.has(offering.zone)) && (!capacityType || capacityType.has(offering.capacityType));
}

/** The cheapest allowed offering price, Infinity when none is allowed. */
export function cheapestPrice(option: TypeOption, allowed: (offering: Offering) => boolean): number {
  let price = Infinity;
  for (const offering of option.offerings) if (offering.price < price && allowed(offering)) price = offering.price;
  return price;
}

export function instanceTypeRequirements(type: InstanceType): Requirements {
  return Requirements.from(type.requirements).with(Requirement.in(Labels.instanceType, [type.name]));
}

/** Whether a daemon's pods would be scheduled on nodes with these requirements and taints. */
export function daemonLands(daemon: CompiledDaemon, requirements: Requirements, taints: readonly Taint[], knownKeys: ReadonlySet<string>): boolean {
  if (untoleratedTaint(taints, daemon.tolerations, false)) return false;
  return daemon.alternatives.some((alternative) => requirements.compatible(alternative, knownKeys) === undefined);
}

/** Throws an Error whose message names the field, for invalid NodePool content. */
export function compileNodePool(
  pool: NodePoolLike,
  instanceTypes: readonly InstanceType[],
  daemons: readonly CompiledDaemon[],
  index: ResourceIndex,
  typeRequirements: (type: InstanceType) => Requirements,
): NodePoolTemplate {
  const name = pool.metadata?.name ?? '';
  const template = pool.spec?.template ?? {};
  const labels = { ...template.metadata?.labels, [Labels.nodePool]: name };
  let requirements: Requirements;
  try {
    requirements = Requirements.from(template.spec?.requirements).intersect(Requirements.fromLabels(labels));
  } catch (error) {
    throw new FieldError('spec.template.spec.requirements', (error as Error).message);
  }
  const taints = template.spec?.taints ?? [];
  const knownKeys = new Set([...WellKnownLabels, ...requirements.keys(), Labels.hostname]);
  for (const type of instanceTypes) for (const r of type.requirements) knownKeys.add(r.key);

  const poolDaemons = daemons.filter((d) => daemonLands(d, requirements, taints, knownKeys));
  const daemonPorts = poolDaemons.flatMap((d) => d.hostPorts.map((port) => ({ daemon: d.name, port })));
  const types: TypeOption[] = [];
  for (const type of instanceTypes) {
    const typeReqs = typeRequirements(type);
    if (requirements.intersects(typeReqs) !== undefined) continue;
    const allowed = offeringFilter(requirements);
    const offerings = type.offerings.filter((o) => o.available && allowed(o));
    if (offerings.length === 0) continue;
    const nodeReqs = requirements.intersect(typeReqs);
    const overhead = index.vector();
    for (const daemon of poolDaemons) {
      if (!daemonLands(daemon, nodeReqs, taints, knownKeys)) continue;
      for (const [resource, amount] of Object.entries(daemon.requests)) {
        const position = index.position(resource);
        if (position !== undefined) overhead[position] += amount;
      }
    }
    const allocatable = index.vector({ pods: 110, ...type.allocatable });
    const available = allocatable.map((value, i) => value - overhead[i]);
    const capacity = index.vector({ pods: 110, ...type.capacity });
    types.push({ type, requirements: typeReqs, available, overhead, capacity, offerings, price: Math.min(...offerings.map((o) => o.price)) });
  }

  // Cheapest first: filtering keeps the order, so claims rarely need sorting later.
  types.sort((a, b) => a.price - b.price || (a.type.name < b.type.name ? -1 : 1));
  let limits: Record<string, number>;
  try {
    limits = parseResourceList(pool.spec?.limits, 'spec.limits');
  } catch (error) {
    if (error instanceof FieldError) throw error;
    throw new FieldError('spec.limits', (error as Error).message);
  }
  const remaining = new Float64Array(index.names.length).fill(Infinity);
  const limited: number[] = [];
  for (const [resource, limit] of Object.entries(limits)) {
    if (resource === 'nodes') continue;
    const position = index.position(resource)!; // the scheduler indexes every limit name first
    limited.push(position);
    remaining[position] = limit;
  }
  return {
    name,
    weight: pool.spec?.weight ?? 0,
    requirements,
    labels,
    taints,
    startupTaints: template.spec?.startupTaints ?? [],
    knownKeys,
    types,
    daemonPorts,
    remaining,
    remainingNodes: limits.nodes ?? Infinity,
    limited,
    limits,
  };
}
