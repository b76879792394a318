import type { ManifestDocument, ManifestObject } from './manifest-object.js';
import { qualifiedName } from './manifest-object.js';
import { ManifestError, describeSource, type ManifestSource } from './manifest-source.js';

/** A pod to place, with the manifest it came from (a Pod, or a replica of a workload). */
export interface PodToPlace {
  readonly pod: ManifestObject;
  readonly source: ManifestSource;
}

/** The input of a plan, sorted by what each object means to the scheduler. */
export interface ClusterManifests {
  /** Pods without a node: expanded workload replicas and pending Pods. */
  readonly pendingPods: readonly PodToPlace[];
  /** Pods already bound to a node (`spec.nodeName`): load on existing Nodes. */
  readonly boundPods: readonly PodToPlace[];
  /** DaemonSets: their pods land on every new node they tolerate, as overhead. */
  readonly daemonSets: readonly ManifestDocument[];
  readonly nodes: readonly ManifestDocument[];
  readonly nodePools: readonly ManifestDocument[];
  readonly nodeClasses: readonly ManifestDocument[];
  readonly persistentVolumes: readonly ManifestDocument[];
  readonly persistentVolumeClaims: readonly ManifestDocument[];
  /** Objects that were skipped and why. */
  readonly warnings: readonly string[];
}

const workloadKinds = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'Job', 'CronJob', 'DaemonSet']);
/** Kinds that commonly sit next to workloads and say nothing about node capacity. */
const ignoredKinds = new Set([
  'Namespace', 'Service', 'ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole',
  'ClusterRoleBinding', 'Ingress', 'NetworkPolicy', 'HorizontalPodAutoscaler', 'PodDisruptionBudget',
  'StorageClass', 'PriorityClass', 'Endpoints', 'EndpointSlice', 'Event', 'ControllerRevision', 'NodeClaim',
]);

/**
 * Sorts parsed manifests by kind and expands workloads into the pods they run: a workload with
 * N replicas becomes pods `<workload>-0 … <workload>-N-1` in its namespace. CronJobs run once,
 * StatefulSets get their volume claims (`<template>-<workload>-<index>`), Pods owned by a
 * workload that is itself in the input are dropped (the workload expands to all its replicas).
 */
export function sortManifests(documents: readonly ManifestDocument[]): ClusterManifests {
  const pendingPods: PodToPlace[] = [];
  const boundPods: PodToPlace[] = [];
  const byKind = (kind: string) => documents.filter((d) => d.object.kind === kind);
  const present = new Set(documents.filter((d) => workloadKinds.has(d.object.kind)).map((d) => ownerKey(d.object.kind, d.object)));
  const warnings: string[] = [];
  const skipped = new Map<string, { count: number; first: ManifestSource }>();

  const running = runningPodsByWorkload(documents);

  for (const doc of documents) {
    const { object, source } = doc;
    switch (object.kind) {
      case 'Pod': {
        // Finished pods hold no resources.
        if (object.status?.phase === 'Succeeded' || object.status?.phase === 'Failed') continue;
        const pod = { pod: withNamespace(object), source };
        // A bound pod is load on its node whoever owns it; a pending one is replaced by its workload's expansion.
        if (typeof object.spec?.nodeName === 'string' && object.spec.nodeName) boundPods.push(pod);
        else if (!ownedByPresentWorkload(object, present)) pendingPods.push(pod);
        break;
      }
      case 'Deployment':
      case 'ReplicaSet':
      case 'StatefulSet':
      case 'Job':
      case 'CronJob':
        if (ownedByPresentWorkload(object, present)) continue;
        pendingPods.push(...expandWorkload(doc, running.get(ownerKey(object.kind, object)) ?? new Set()));
        break;
      case 'DaemonSet':
      case 'Node':
      case 'NodePool':
      case 'EC2NodeClass':
      case 'PersistentVolume':
      case 'PersistentVolumeClaim':
        break;
      default: {
        if (ignoredKinds.has(object.kind)) continue;
        const entry = skipped.get(object.kind);
        if (entry) entry.count++;
        else skipped.set(object.kind, { count: 1, first: source });
      }
    }
  }
  const nodeNames = new Set(byKind('Node').map((d) => d.object.metadata.name));
  const elsewhere = boundPods.filter((p) => !nodeNames.has(String(p.pod.spec?.nodeName)));
  if (elsewhere.length > 0) {
    warnings.push(
      `ignored ${elsewhere.length} pod${elsewhere.length > 1 ? 's' : ''} bound to nodes not in the input (first: ${describeSource(elsewhere[0].source)}); add the Node objects to count them as existing capacity`,
    );
  }
  for (const [kind, { count, first }] of skipped) {
    warnings.push(`skipped ${count} object${count > 1 ? 's' : ''} of unknown kind ${kind} (first at ${describeSource(first)})`);
  }
  return {
    pendingPods,
    boundPods,
    daemonSets: byKind('DaemonSet'),
    nodes: byKind('Node'),
    nodePools: byKind('NodePool'),
    nodeClasses: byKind('EC2NodeClass'),
    persistentVolumes: byKind('PersistentVolume'),
    persistentVolumeClaims: [...byKind('PersistentVolumeClaim'), ...statefulSetClaims(byKind('StatefulSet'), byKind('PersistentVolumeClaim'))],
    warnings,
  };
}

/** The pod template and replica count of a workload (a CronJob runs its job once). */
function podTemplate(doc: ManifestDocument): { template: Record<string, unknown>; replicas: number } {
  const { object, source } = doc;
  const spec = object.kind === 'CronJob' ? asRecord(asRecord(object.spec?.jobTemplate).spec) : asRecord(object.spec);
  const template = spec.template;
  if (!isRecord(template) || !isRecord(template.spec)) {
    throw new ManifestError(source, `${object.kind} has no spec${object.kind === 'CronJob' ? '.jobTemplate.spec' : ''}.template.spec: nothing to schedule`);
  }
  let replicas: number;
  if (object.kind === 'Job' || object.kind === 'CronJob') {
    const parallelism = count(spec.parallelism, 1, source, 'spec.parallelism');
    replicas = spec.completions === undefined ? parallelism : Math.min(parallelism, count(spec.completions, 1, source, 'spec.completions'));
  } else {
    replicas = count(spec.replicas, 1, source, 'spec.replicas');
  }
  return { template, replicas };
}

/**
 * Names of the bound pods of each workload in the input (a Deployment's through its
 * ReplicaSets), so that `kubectl get deploy,pods -o yaml` does not plan running replicas again.
 */
function runningPodsByWorkload(documents: readonly ManifestDocument[]): Map<string, Set<string>> {
  const deploymentOfReplicaSet = new Map<string, string>();
  for (const { object } of documents) {
    const owner = object.kind === 'ReplicaSet' ? object.metadata.ownerReferences?.find((o) => o.kind === 'Deployment') : undefined;
    if (owner) deploymentOfReplicaSet.set(ownerKey('ReplicaSet', object), `Deployment/${object.metadata.namespace ?? 'default'}/${owner.name}`);
  }
  const running = new Map<string, Set<string>>();
  for (const { object } of documents) {
    if (object.kind !== 'Pod' || !object.spec?.nodeName || object.status?.phase === 'Succeeded' || object.status?.phase === 'Failed') continue;
    for (const owner of object.metadata.ownerReferences ?? []) {
      const key = `${owner.kind}/${object.metadata.namespace ?? 'default'}/${owner.name}`;
      for (const workload of [key, deploymentOfReplicaSet.get(key)]) {
        if (!workload) continue;
        const names = running.get(workload) ?? new Set<string>();
        names.add(object.metadata.name ?? '');
        running.set(workload, names);
      }
    }
  }
  return running;
}

/**
 * The replicas still to place: a StatefulSet's by ordinal (`db-1` running means index 1 is
 * placed), other workloads' by count (their pods have generated names).
 */
function expandWorkload(doc: ManifestDocument, running: ReadonlySet<string>): PodToPlace[] {
  const { object, source } = doc;
  const name = object.metadata.name;
  if (!name) throw new ManifestError(source, `${object.kind} has no metadata.name`);
  const namespace = object.metadata.namespace ?? 'default';
  const { template, replicas } = podTemplate(doc);
  const templateMetadata = asRecord(template.metadata);
  const templateSpec = asRecord(template.spec);
  const claimTemplates = object.kind === 'StatefulSet' ? claimTemplateNames(object) : [];
  const pods: PodToPlace[] = [];
  const firstIndex = object.kind === 'StatefulSet' ? 0 : Math.min(running.size, replicas);
  for (let index = firstIndex; index < replicas; index++) {
    const podName = `${name}-${index}`;
    if (object.kind === 'StatefulSet' && running.has(podName)) continue;
    const claimVolumes = claimTemplates.map((claim) => ({ name: claim, persistentVolumeClaim: { claimName: `${claim}-${podName}` } }));
    const volumes = [...((templateSpec.volumes as unknown[] | undefined) ?? []), ...claimVolumes];
    pods.push({
      pod: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          ...templateMetadata,
          name: podName,
          namespace,
          ownerReferences: [{ kind: object.kind, name, controller: true }],
        },
        spec: { ...templateSpec, ...(volumes.length > 0 ? { volumes } : {}) },
      },
      source: { ...source, kind: 'Pod', name: `${namespace}/${podName}` },
    });
  }
  return pods;
}

function claimTemplateNames(statefulSet: ManifestObject): string[] {
  const templates = (statefulSet.spec?.volumeClaimTemplates as unknown[] | undefined) ?? [];
  return templates.map((t) => String(asRecord(asRecord(t).metadata).name ?? '')).filter(Boolean);
}

/** Claims a StatefulSet creates for its replicas, unless the input already holds them. */
function statefulSetClaims(statefulSets: readonly ManifestDocument[], existing: readonly ManifestDocument[]): ManifestDocument[] {
  const known = new Set(existing.map((d) => qualifiedName(d.object.metadata, true)));
  const claims: ManifestDocument[] = [];
  for (const doc of statefulSets) {
    const { object, source } = doc;
    const namespace = object.metadata.namespace ?? 'default';
    const templates = (object.spec?.volumeClaimTemplates as unknown[] | undefined) ?? [];
    const { replicas } = podTemplate(doc);
    for (const template of templates) {
      const claimTemplate = asRecord(template);
      const claim = String(asRecord(claimTemplate.metadata).name ?? '');
      for (let index = 0; index < replicas; index++) {
        const name = `${claim}-${object.metadata.name}-${index}`;
        if (known.has(`${namespace}/${name}`)) continue;
        claims.push({
          source: { ...source, kind: 'PersistentVolumeClaim', name: `${namespace}/${name}` },
          object: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace }, spec: asRecord(claimTemplate.spec) },
        });
      }
    }
  }
  return claims;
}

function ownerKey(kind: string, object: ManifestObject): string {
  return `${kind}/${object.metadata.namespace ?? 'default'}/${object.metadata.name ?? ''}`;
}

function ownedByPresentWorkload(object: ManifestObject, present: ReadonlySet<string>): boolean {
  const namespace = object.metadata.namespace ?? 'default';
  return (object.metadata.ownerReferences ?? []).some(
    (owner) => owner.kind === 'DaemonSet' || present.has(`${owner.kind}/${namespace}/${owner.name}`),
  );
}

function withNamespace(object: ManifestObject): ManifestObject {
  return object.metadata.namespace ? object : { ...object, metadata: { ...object.metadata, namespace: 'default' } };
}

function count(value: unknown, fallback: number, source: ManifestSource, field: string): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ManifestError(source, `${field}: ${JSON.stringify(value)} is not a non-negative integer`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
