import type {
  CoreV1Event,
  V1DaemonSet,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1StorageClass,
  V1CustomResourceDefinition,
} from '@kubernetes/client-node';

/**
 * The metadata every object has, as far as this package reads it. Structural on purpose, so
 * both `@kubernetes/client-node` types and `@karpenter-ts/api` types fit. Note that timestamps
 * arrive as RFC 3339 strings whatever a type declares.
 */
export interface KubeObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: { [key: string]: string };
  annotations?: { [key: string]: string };
  finalizers?: string[];
  managedFields?: unknown[];
}

/** Any Kubernetes object: what every resource client and cache handles. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectMeta;
}

/** coordination.k8s.io/v1 Lease with its times as the MicroTime strings the API server sends. */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export interface KubeList<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

/**
 * A resource the project reads or writes. Every resource the controller touches is listed in
 * `Resources` below, so the RBAC rules of the Helm chart can be derived from this one file.
 */
export interface Resource<T extends KubeObject> {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Phantom field carrying the object type; never set. */
  readonly _type?: T;
}

export function resource<T extends KubeObject>(group: string, version: string, plural: string, kind: string, namespaced: boolean): Resource<T> {
  return { group, version, plural, kind, namespaced };
}

export function apiVersionOf(r: Resource<KubeObject>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The URL path of a collection (namespace given) or of one object (name given), with an optional subresource. */
export function resourcePath(r: Resource<KubeObject>, namespace?: string, name?: string, subresource?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  let path = base;
  if (r.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${r.plural}`;
  if (name) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

/** Karpenter's own CRDs. Their object types live in `@karpenter-ts/api`; pass them as the type parameter. */
export const KarpenterResources = {
  nodePools: resource<KubeObject>('karpenter.sh', 'v1', 'nodepools', 'NodePool', false),
  nodeClaims: resource<KubeObject>('karpenter.sh', 'v1', 'nodeclaims', 'NodeClaim', false),
  ec2NodeClasses: resource<KubeObject>('karpenter.k8s.aws', 'v1', 'ec2nodeclasses', 'EC2NodeClass', false),
} as const;

/** Every built-in resource the project uses. */
export const Resources = {
  pods: resource<V1Pod>('', 'v1', 'pods', 'Pod', true),
  nodes: resource<V1Node>('', 'v1', 'nodes', 'Node', false),
  events: resource<CoreV1Event>('', 'v1', 'events', 'Event', true),
  persistentVolumes: resource<V1PersistentVolume>('', 'v1', 'persistentvolumes', 'PersistentVolume', false),
  persistentVolumeClaims: resource<V1PersistentVolumeClaim>('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true),
  daemonSets: resource<V1DaemonSet>('apps', 'v1', 'daemonsets', 'DaemonSet', true),
  podDisruptionBudgets: resource<V1PodDisruptionBudget>('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true),
  storageClasses: resource<V1StorageClass>('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false),
  leases: resource<Lease>('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  customResourceDefinitions: resource<V1CustomResourceDefinition>('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false),
} as const;

export function keyOf(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}
