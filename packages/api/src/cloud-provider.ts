import type { InstanceType } from './instance-type.js';
import type { NodeClaim } from './schema/nodeclaim.js';
import type { NodePool } from './schema/nodepool.js';

/** Why a NodeClaim no longer matches what its NodePool / node class would launch today. */
export type DriftReason = 'NodePoolDrifted' | 'RequirementsDrifted' | 'AMIDrifted' | 'SubnetDrifted' | 'SecurityGroupDrifted' | 'NodeClassDrifted' | (string & {});

/**
 * The one narrow contract between the core and a cloud. The core never calls a cloud SDK;
 * it asks a CloudProvider.
 *
 * @example
 * const launched = await cloud.create(nodeClaim); // status.providerID, capacity, labels filled
 */
export interface CloudProvider {
  /** Short name used in metrics and logs, e.g. "aws". */
  readonly name: string;
  /**
   * Launches one instance for the NodeClaim and returns the NodeClaim as launched: status
   * (providerID, imageID, capacity, allocatable) and the labels of the chosen instance type,
   * zone and capacity type. Throws InsufficientCapacityError when no offering could be launched,
   * NodeClassNotReadyError when the node class cannot be resolved yet.
   */
  create(nodeClaim: NodeClaim): Promise<NodeClaim>;
  /** Terminates the NodeClaim's instance. Throws NodeClaimNotFoundError when it is already gone. */
  delete(nodeClaim: NodeClaim): Promise<void>;
  /** The NodeClaim view of one instance. Throws NodeClaimNotFoundError when it does not exist. */
  get(providerID: string): Promise<NodeClaim>;
  /** Every instance this cluster owns, as NodeClaims (for garbage collection). */
  list(): Promise<NodeClaim[]>;
  /** The instance types a NodePool may launch, with offerings, prices and availability. */
  getInstanceTypes(nodePool: NodePool): Promise<InstanceType[]>;
  /** Why the NodeClaim drifted from its node class, or undefined when it did not. */
  isDrifted(nodeClaim: NodeClaim): Promise<DriftReason | undefined>;
}

/** Base of the errors a CloudProvider throws on purpose; anything else is unexpected. */
export class CloudProviderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The instance behind a NodeClaim / providerID does not exist (any more). */
export class NodeClaimNotFoundError extends CloudProviderError {
  constructor(readonly providerID: string, options?: ErrorOptions) {
    super(`no instance found for providerID "${providerID}"`, options);
  }
}

/** No offering (instance type × zone × capacity type) the NodeClaim allows could be launched. */
export class InsufficientCapacityError extends CloudProviderError {
  constructor(
    message: string,
    /** The offerings that failed, so the caller can see what was tried. */
    readonly unavailable: readonly { instanceType: string; zone: string; capacityType: string }[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The node class (e.g. EC2NodeClass) is missing or not Ready: subnets, AMIs or instance profile unresolved. */
export class NodeClassNotReadyError extends CloudProviderError {}

/** A launch failed because of the NodeClaim or node class itself (bad AMI, denied permission, …): retrying will not help. */
export class CreateError extends CloudProviderError {
  constructor(message: string, readonly reason: string, options?: ErrorOptions) {
    super(message, options);
  }
}

export const isNodeClaimNotFoundError = (error: unknown): error is NodeClaimNotFoundError => error instanceof NodeClaimNotFoundError;
export const isInsufficientCapacityError = (error: unknown): error is InsufficientCapacityError => error instanceof InsufficientCapacityError;
