import type { InstanceType } from '@karpenter-ts/api';
import type { DaemonSet, Node, NodeClaimLike, NodePoolLike, Pod } from './kubernetes.js';

/** A node that exists in the cluster, with the pods bound to it (daemon pods included). */
export interface ClusterNode {
  readonly node: Node;
  readonly pods?: readonly Pod[];
  /** Being disrupted or deleted: nothing new is placed on it. */
  readonly markedForDeletion?: boolean;
}

/** A NodeClaim launched (or being launched) whose Node has not registered yet, with the pods nominated to it. */
export interface InFlightNodeClaim {
  readonly nodeClaim: NodeClaimLike;
  readonly pods?: readonly Pod[];
}

/**
 * A plain snapshot of everything a provisioning decision depends on. Nothing is read from
 * anywhere else: the same snapshot always gives the same result.
 */
export interface SchedulingInput {
  /** Pods to place (pending, unbound, not owned by a DaemonSet). */
  readonly pods: readonly Pod[];
  readonly nodes?: readonly ClusterNode[];
  readonly nodeClaims?: readonly InFlightNodeClaim[];
  readonly nodePools: readonly NodePoolLike[];
  /** The instance types each NodePool may launch, by NodePool name (the CloudProvider's answer). */
  readonly instanceTypes: Readonly<Record<string, readonly InstanceType[]>>;
  /** DaemonSets whose pods will land on new nodes and count as overhead there. */
  readonly daemonSets?: readonly DaemonSet[];
  /** Zones of bound PersistentVolumes, by `namespace/claimName` of the PVC. */
  readonly volumeZones?: Readonly<Record<string, readonly string[]>>;
  /** Namespace labels, for pod (anti-)affinity terms with a `namespaceSelector`. */
  readonly namespaceLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly options?: SchedulingOptions;
}

export interface SchedulingOptions {
  /** How many instance types a new NodeClaim carries at most (more only where minValues needs them). Default 60. */
  readonly maxInstanceTypes?: number;
  /** Drop all soft preferences up front (used by consolidation, where they must not block a move). Default false. */
  readonly ignorePreferences?: boolean;
}
