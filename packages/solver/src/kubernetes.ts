/**
 * Structural subsets of the Kubernetes objects the solver reads (core/v1 Pod, Node, DaemonSet
 * and the karpenter.sh/v1 NodePool and NodeClaim). Every field is optional and every enum is a
 * plain string, so objects from `@kubernetes/client-node` (or parsed manifests) can be passed
 * as they are. The solver validates what it reads and reports bad values as input problems.
 */

/** A Kubernetes quantity: `"500m"`, `"1.5Gi"`, `"2e3"`, or a plain number. */
export type Quantity = string | number;

/** A resource list as found in pod requests, node allocatable or NodePool limits. */
export type ResourceList = Readonly<Record<string, Quantity>>;

export interface OwnerReference {
  readonly kind?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly controller?: boolean;
}

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
  /** Only its presence matters (the object is being deleted). */
  readonly deletionTimestamp?: unknown;
}

export interface LabelSelectorRequirement {
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: string;
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** A node selector requirement; `minValues` is only meaningful in NodePools and NodeClaims. */
export interface NodeSelectorRequirementLike {
  readonly key: string;
  /** `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`, `Gte` or `Lte`. */
  readonly operator: string;
  readonly values?: readonly string[];
  readonly minValues?: number;
}

export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirementLike[];
}

export interface PreferredSchedulingTerm {
  readonly weight: number;
  readonly preference: NodeSelectorTerm;
}

export interface NodeAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: { readonly nodeSelectorTerms?: readonly NodeSelectorTerm[] };
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly PreferredSchedulingTerm[];
}

export interface PodAffinityTerm {
  readonly topologyKey: string;
  readonly labelSelector?: LabelSelector;
  readonly namespaces?: readonly string[];
  readonly namespaceSelector?: LabelSelector;
  readonly matchLabelKeys?: readonly string[];
  readonly mismatchLabelKeys?: readonly string[];
}

export interface WeightedPodAffinityTerm {
  readonly weight: number;
  readonly podAffinityTerm: PodAffinityTerm;
}

export interface PodAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTerm[];
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly WeightedPodAffinityTerm[];
}

export interface Affinity {
  readonly nodeAffinity?: NodeAffinity;
  readonly podAffinity?: PodAffinity;
  readonly podAntiAffinity?: PodAffinity;
}

export interface Toleration {
  readonly key?: string;
  /** `Equal` (default) or `Exists`. */
  readonly operator?: string;
  readonly value?: string;
  /** `NoSchedule`, `PreferNoSchedule`, `NoExecute`, or empty for all effects. */
  readonly effect?: string;
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
  readonly effect: string;
}

export interface TopologySpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  /** `DoNotSchedule` or `ScheduleAnyway`. */
  readonly whenUnsatisfiable: string;
  readonly labelSelector?: LabelSelector;
  readonly minDomains?: number;
  /** `Honor` (default) or `Ignore`. */
  readonly nodeAffinityPolicy?: string;
  /** `Honor` or `Ignore` (default). */
  readonly nodeTaintsPolicy?: string;
  readonly matchLabelKeys?: readonly string[];
}

export interface ContainerPort {
  readonly containerPort?: number;
  readonly hostPort?: number;
  /** `TCP` (default), `UDP` or `SCTP`. */
  readonly protocol?: string;
  readonly hostIP?: string;
}

export interface Container {
  readonly name?: string;
  readonly resources?: { readonly requests?: ResourceList; readonly limits?: ResourceList };
  readonly ports?: readonly ContainerPort[];
  /** `Always` on an init container makes it a sidecar (counted with the app containers). */
  readonly restartPolicy?: string;
}

export interface Volume {
  readonly name?: string;
  readonly persistentVolumeClaim?: { readonly claimName: string };
}

export interface PodSpec {
  readonly nodeName?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly affinity?: Affinity;
  readonly tolerations?: readonly Toleration[];
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[];
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly overhead?: ResourceList;
  readonly priority?: number;
  readonly volumes?: readonly Volume[];
}

export interface Pod {
  readonly metadata?: ObjectMeta;
  readonly spec?: PodSpec;
  /** `Succeeded` and `Failed` pods hold no resources. */
  readonly status?: { readonly phase?: string };
}

export interface Node {
  readonly metadata?: ObjectMeta;
  readonly spec?: { readonly taints?: readonly Taint[]; readonly unschedulable?: boolean; readonly providerID?: string };
  readonly status?: { readonly capacity?: ResourceList; readonly allocatable?: ResourceList };
}

export interface DaemonSet {
  readonly metadata?: ObjectMeta;
  readonly spec?: { readonly template?: { readonly metadata?: ObjectMeta; readonly spec?: PodSpec } };
}

/** A disruption budget of a NodePool (`karpenter.sh/v1`). */
export interface BudgetLike {
  /** A count (`"5"`) or a percentage of the NodePool's nodes (`"10%"`). */
  readonly nodes?: string;
  /** Cron (UTC), e.g. `"0 9 * * 1-5"`; comes with `duration`. */
  readonly schedule?: string;
  /** Go duration, e.g. `"8h"`, `"1h30m"`. */
  readonly duration?: string;
  /** `Underutilized`, `Empty`, `Drifted`; absent means all reasons. */
  readonly reasons?: readonly string[];
}

/** The parts of a `karpenter.sh/v1` NodePool the solver reads. */
export interface NodePoolLike {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly weight?: number;
    readonly limits?: ResourceList;
    readonly template?: {
      readonly metadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
      readonly spec?: {
        readonly requirements?: readonly NodeSelectorRequirementLike[];
        readonly taints?: readonly Taint[];
        readonly startupTaints?: readonly Taint[];
      };
    };
    readonly disruption?: {
      readonly consolidationPolicy?: string;
      readonly consolidateAfter?: string;
      readonly budgets?: readonly BudgetLike[];
    };
  };
}

/** The parts of a `karpenter.sh/v1` NodeClaim the solver reads. */
export interface NodeClaimLike {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly requirements?: readonly NodeSelectorRequirementLike[];
    readonly taints?: readonly Taint[];
    readonly startupTaints?: readonly Taint[];
    readonly resources?: { readonly requests?: ResourceList };
  };
  readonly status?: { readonly nodeName?: string; readonly capacity?: ResourceList; readonly allocatable?: ResourceList };
}
