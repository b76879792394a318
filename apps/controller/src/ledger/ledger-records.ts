/**
 * What the ledger records. A plan summary is also the `karpenter-ts plan --output json`
 * document: resource amounts are Kubernetes quantity strings, prices USD per hour.
 */
export interface PlannedNodeClaim {
  readonly nodePool: string;
  /** Instance types the NodeClaim may launch, cheapest first. */
  readonly instanceTypes: readonly string[];
  readonly capacityType: string;
  /** Zones the NodeClaim may launch in (one when pinned). */
  readonly zones: readonly string[];
  /** `namespace/name` of each pod placed on it. */
  readonly pods: readonly string[];
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly pricePerHour: number;
}

export interface UnschedulablePod {
  readonly pod: string;
  /** NodePool name → why the pod cannot go there. */
  readonly reasons: Readonly<Record<string, string>>;
}

export interface PlanSummary {
  readonly nodeClaims: readonly PlannedNodeClaim[];
  readonly unschedulable: readonly UnschedulablePod[];
  readonly totalPricePerHour: number;
  readonly lowerBoundPricePerHour: number;
}

/** A plan as it is recorded: the summary plus where and on what input it ran. */
export interface PlanRunRecord {
  /** Who planned: `cli` for `karpenter-ts plan`, `controller` for a provisioning round. */
  readonly source: 'cli' | 'controller';
  readonly region: string;
  /** sha256 of the input (manifests, prices, options), hex. */
  readonly inputDigest: string;
  readonly podCount: number;
  readonly summary: PlanSummary;
}

export interface PlanRun extends PlanRunRecord {
  readonly id: number;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
}

/** A one-line view of a run for listings. */
export interface PlanRunOverview {
  readonly id: number;
  readonly createdAt: string;
  readonly source: string;
  readonly region: string;
  readonly inputDigest: string;
  readonly podCount: number;
  readonly nodeClaimCount: number;
  readonly unschedulableCount: number;
  readonly totalPricePerHour: number;
  readonly lowerBoundPricePerHour: number;
}

/**
 * A decision the controller acted on: what, on which object, why, and the price before and
 * after (USD per hour of the nodes involved).
 */
export interface DecisionRecord {
  /** e.g. `launch`, `delete`, `replace`, `interruption`, `expiration`. */
  readonly action: string;
  /** e.g. `Provisioning`, `Empty`, `Underutilized`, `Drifted`, `SpotInterruption`. */
  readonly reason: string;
  readonly nodePool?: string;
  readonly nodeClaim?: string;
  readonly instanceType?: string;
  readonly capacityType?: string;
  readonly zone?: string;
  readonly priceBefore?: number;
  readonly priceAfter?: number;
  /** Anything else worth keeping (pods moved, replacement names …), stored as JSON. */
  readonly detail?: Readonly<Record<string, unknown>>;
  /** The plan run this decision came from, if any. */
  readonly runId?: number;
}

export interface Decision extends DecisionRecord {
  readonly id: number;
  readonly createdAt: string;
}
