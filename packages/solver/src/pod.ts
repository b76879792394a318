import { Labels } from '@karpenter-ts/api';
import type { ResourceAmounts } from '@karpenter-ts/api';
import type { Pod, PodAffinityTerm, Toleration, TopologySpreadConstraint } from './kubernetes.js';
import { FieldError } from './field-error.js';
import { Requirement, Requirements } from './requirements.js';
import { podRequests } from './resources.js';
import type { PodRef } from './scheduling-result.js';

/** A host port a container binds; `ip` is empty for all addresses. */
export interface HostPort {
  readonly port: number;
  readonly protocol: string;
  readonly ip: string;
}

export function hostPortsConflict(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === '' || b.ip === '' || a.ip === b.ip);
}

export function formatHostPort(port: HostPort): string {
  return `${port.ip ? `${port.ip}:` : ''}${port.port}/${port.protocol}`;
}

export interface WeightedTerm<T> {
  readonly weight: number;
  readonly term: T;
}

/** What scheduling needs from a pod, parsed once and shared by identical pods. */
export interface CompiledPod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly requests: ResourceAmounts;
  /** nodeSelector ∩ each required node affinity term (OR); one empty alternative when none. */
  readonly nodeAlternatives: readonly Requirements[];
  /** Preferred node affinity terms, heaviest first. */
  readonly preferredNode: readonly WeightedTerm<Requirements>[];
  /** Zones of the pod's bound volumes, as a requirement (empty when none). */
  readonly volumeRequirements: Requirements;
  readonly tolerations: readonly Toleration[];
  readonly hostPorts: readonly HostPort[];
  readonly spreads: readonly TopologySpreadConstraint[];
  readonly affinity: readonly PodAffinityTerm[];
  readonly antiAffinity: readonly PodAffinityTerm[];
  /** Lightest first: the order they are given up in. */
  readonly preferredAffinity: readonly WeightedTerm<PodAffinityTerm>[];
  readonly preferredAntiAffinity: readonly WeightedTerm<PodAffinityTerm>[];
  /** A key equal for pods that schedule identically. */
  readonly signature: string;
}

export function podRef(pod: Pod): PodRef {
  const { namespace = 'default', name = '', uid } = pod.metadata ?? {};
  return uid === undefined ? { namespace, name } : { namespace, name, uid };
}

export function describePod(pod: Pod): string {
  const { namespace, name } = podRef(pod);
  return `pod ${namespace}/${name}`;
}


function requirementsAt(selectors: Parameters<typeof Requirements.from>[0], field: string): Requirements {
  try {
    return Requirements.from(selectors);
  } catch (error) {
    throw new FieldError(field, (error as Error).message);
  }
}

/**
 * Parses the scheduling-relevant parts of a pod. Throws {@link FieldError} for invalid fields.
 */
export function compilePod(pod: Pod, volumeZones: Readonly<Record<string, readonly string[]>>): CompiledPod {
  const spec = pod.spec ?? {};
  const namespace = pod.metadata?.namespace ?? 'default';
  const labels = pod.metadata?.labels ?? {};
  const requests = podRequests(pod);

  const selector = Requirements.fromLabels(spec.nodeSelector);
  const nodeAffinity = spec.affinity?.nodeAffinity;
  const terms = nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const nodeAlternatives = terms.length
    ? terms.map((term, i) =>
        selector.intersect(
          requirementsAt(term.matchExpressions, `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`),
        ),
      )
    : [selector];
  const preferredNode = (nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
    .map((p, i) => ({
      weight: p.weight,
      term: requirementsAt(p.preference?.matchExpressions, `spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`),
    }))
    .sort((a, b) => b.weight - a.weight);

  let volumeRequirements = new Requirements();
  for (const volume of spec.volumes ?? []) {
    const claim = volume.persistentVolumeClaim?.claimName;
    const zones = claim === undefined ? undefined : volumeZones[`${namespace}/${claim}`];
    if (zones) volumeRequirements = volumeRequirements.with(Requirement.in(Labels.zone, zones));
  }

  const hostPorts: HostPort[] = [];
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const port of container.ports ?? []) {
      if (port.hostPort) hostPorts.push({ port: port.hostPort, protocol: port.protocol ?? 'TCP', ip: port.hostIP === '0.0.0.0' ? '' : (port.hostIP ?? '') });
    }
  }

  const podAffinity = spec.affinity?.podAffinity;
  const podAntiAffinity = spec.affinity?.podAntiAffinity;
  const lightestFirst = (terms: readonly { weight: number; podAffinityTerm: PodAffinityTerm }[] = []) =>
    terms.map((t) => ({ weight: t.weight, term: t.podAffinityTerm })).sort((a, b) => a.weight - b.weight);

  const compiled = {
    namespace,
    labels,
    requests,
    nodeAlternatives,
    preferredNode,
    volumeRequirements,
    tolerations: spec.tolerations ?? [],
    hostPorts,
    spreads: spec.topologySpreadConstraints ?? [],
    affinity: podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [],
    antiAffinity: podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [],
    preferredAffinity: lightestFirst(podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: lightestFirst(podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
  const signature = JSON.stringify([
    namespace,
    labels,
    requests,
    spec.nodeSelector ?? null,
    spec.affinity ?? null,
    compiled.tolerations,
    compiled.spreads,
    hostPorts,
    volumeRequirements.toSelectors(),
  ]);
  return { ...compiled, signature };
}
