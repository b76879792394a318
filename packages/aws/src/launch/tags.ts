/** Tag keys the provider writes to mark what it owns and which object a resource belongs to. */
export const TagKeys = {
  cluster: (clusterName: string) => `kubernetes.io/cluster/${clusterName}`,
  eksClusterName: 'eks:eks-cluster-name',
  nodePool: 'karpenter.sh/nodepool',
  nodeClaim: 'karpenter.sh/nodeclaim',
  nodeClass: 'karpenter.k8s.aws/ec2nodeclass',
  name: 'Name',
} as const;

/** Tags that mark a resource as owned by this cluster's autoscaler. */
export function ownershipTags(clusterName: string): Record<string, string> {
  return { [TagKeys.cluster(clusterName)]: 'owned', [TagKeys.eksClusterName]: clusterName };
}

/**
 * Tags of an instance, its volumes and its fleet request: the EC2NodeClass's own tags first,
 * then the ownership tags (which users may not override).
 */
export function launchTags(args: {
  clusterName: string;
  nodePoolName: string;
  nodeClassName: string;
  nodeClaimName: string;
  nodeClassTags?: Readonly<Record<string, string>>;
}): Record<string, string> {
  return {
    ...args.nodeClassTags,
    ...ownershipTags(args.clusterName),
    [TagKeys.nodePool]: args.nodePoolName,
    [TagKeys.nodeClass]: args.nodeClassName,
    [TagKeys.nodeClaim]: args.nodeClaimName,
  };
}

export function toAwsTags(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
