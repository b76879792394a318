import type { EC2NodeClass, EC2NodeClassStatus } from '@karpenter-ts/api';

/**
 * Resolves an EC2NodeClass against the cloud (subnets, security groups, AMIs, instance profile)
 * into its status, with one condition per part and `Ready`. `@karpenter-ts/aws` provides it.
 */
export interface NodeClassResolver {
  reconcile(nodeClass: EC2NodeClass): Promise<EC2NodeClassStatus>;
  /** Cleans up what the cloud side created for a node class being deleted. */
  finalize(nodeClass: EC2NodeClass): Promise<void>;
}
