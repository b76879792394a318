import type { PolicyConcern } from '../names.js';
import { policyDocument, type PolicyDocument } from './policy-document.js';

// The controller's permissions, one managed policy per concern so that each stays far below the
// 6,144-character limit of a managed policy even for a 100-character cluster name. Anything the
// controller creates must carry this cluster's tags in the request, and anything it changes or
// deletes must already carry them, so the role cannot touch another cluster's (or anyone else's)
// instances, launch templates or instance profiles.

/** Where the controller's permissions apply. Values may be Terraform tokens. */
export interface PolicyScope {
  partition: string;
  accountId: string;
  region: string;
  /** DNS suffix of the partition (`amazonaws.com`, `amazonaws.com.cn`): EC2's service principal is `ec2.<suffix>`. */
  dnsSuffix: string;
  clusterName: string;
  nodeRoleName: string;
  interruptionQueueName: string;
}

/** Tag keys every resource the controller creates carries (see the reference, "AWS launch"). */
export const TAG_KEYS = {
  nodePool: 'karpenter.sh/nodepool',
  nodeClaim: 'karpenter.sh/nodeclaim',
  nodeClass: 'karpenter.k8s.aws/ec2nodeclass',
  eksClusterName: 'eks:eks-cluster-name',
  region: 'topology.kubernetes.io/region',
  name: 'Name',
  cluster: (clusterName: string) => `kubernetes.io/cluster/${clusterName}`,
} as const;

/** The read-only EC2 calls that do not support resource-level permissions. */
export const EC2_DESCRIBE_ACTIONS = [
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeImages',
  'ec2:DescribeInstanceTypeOfferings',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeInstances',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSpotPriceHistory',
  'ec2:DescribeSubnets',
];

export function controllerPolicies(scope: PolicyScope): Record<PolicyConcern, PolicyDocument> {
  return {
    NodeLifecycle: nodeLifecyclePolicy(scope),
    IAMIntegration: iamIntegrationPolicy(scope),
    EKSIntegration: eksIntegrationPolicy(scope),
    Interruption: interruptionPolicy(scope),
    ResourceDiscovery: resourceDiscoveryPolicy(scope),
  };
}

function nodeLifecyclePolicy(scope: PolicyScope): PolicyDocument {
  const { partition, region, accountId, clusterName } = scope;
  const ec2 = (resource: string, account = accountId) => `arn:${partition}:ec2:${region}:${account}:${resource}`;
  const launched = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map((r) => ec2(r));
  const clusterRequestTags = {
    [`aws:RequestTag/${TAG_KEYS.cluster(clusterName)}`]: 'owned',
    [`aws:RequestTag/${TAG_KEYS.eksClusterName}`]: clusterName,
  };
  const ownedByCluster = {
    StringEquals: { [`aws:ResourceTag/${TAG_KEYS.cluster(clusterName)}`]: 'owned' },
    StringLike: { [`aws:ResourceTag/${TAG_KEYS.nodePool}`]: '*' },
  };
  return policyDocument(
    {
      // Images, snapshots, subnets and security groups are chosen by the EC2NodeClass's selectors
      // (any tags, or IDs; subnets may be shared from another account), so they cannot be scoped by
      // this cluster's tags. They are only referenced: the launch itself is authorized by the
      // tagged statements below, which every RunInstances/CreateFleet call must also pass.
      Sid: 'LaunchWithSelectedImagesSubnetsAndSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [ec2('image/*', ''), ec2('snapshot/*', ''), ec2('subnet/*', '*'), ec2('security-group/*', '*')],
    },
    {
      Sid: 'LaunchFromClusterLaunchTemplates',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: ec2('launch-template/*'),
      Condition: ownedByCluster,
    },
    {
      Sid: 'CreateClusterTaggedResources',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Resource: launched,
      Condition: {
        StringEquals: clusterRequestTags,
        StringLike: { [`aws:RequestTag/${TAG_KEYS.nodePool}`]: '*' },
      },
    },
    {
      Sid: 'TagResourcesOnCreate',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: launched,
      Condition: {
        StringEquals: { ...clusterRequestTags, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        StringLike: { [`aws:RequestTag/${TAG_KEYS.nodePool}`]: '*' },
      },
    },
    {
      // After launch the controller only adds the NodeClaim and Name tags to its own instances.
      Sid: 'TagClusterInstances',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: ec2('instance/*'),
      Condition: {
        ...ownedByCluster,
        StringEqualsIfExists: { [`aws:RequestTag/${TAG_KEYS.eksClusterName}`]: clusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG_KEYS.eksClusterName, TAG_KEYS.nodeClaim, TAG_KEYS.name] },
      },
    },
    {
      Sid: 'DeleteClusterInstancesAndLaunchTemplates',
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Resource: [ec2('instance/*'), ec2('launch-template/*')],
      Condition: ownedByCluster,
    },
  );
}

function iamIntegrationPolicy(scope: PolicyScope): PolicyDocument {
  const { partition, accountId, region, clusterName } = scope;
  const instanceProfiles = `arn:${partition}:iam::${accountId}:instance-profile/*`;
  const clusterTag = TAG_KEYS.cluster(clusterName);
  return policyDocument(
    {
      Sid: 'PassNodeRoleToEC2',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: `arn:${partition}:iam::${accountId}:role/${scope.nodeRoleName}`,
      Condition: { StringEquals: { 'iam:PassedToService': `ec2.${scope.dnsSuffix}` } },
    },
    {
      Sid: 'CreateClusterInstanceProfiles',
      Effect: 'Allow',
      Action: 'iam:CreateInstanceProfile',
      Resource: instanceProfiles,
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${clusterTag}`]: 'owned',
          [`aws:RequestTag/${TAG_KEYS.eksClusterName}`]: clusterName,
          [`aws:RequestTag/${TAG_KEYS.region}`]: region,
        },
        StringLike: { [`aws:RequestTag/${TAG_KEYS.nodeClass}`]: '*' },
      },
    },
    {
      Sid: 'TagClusterInstanceProfiles',
      Effect: 'Allow',
      Action: 'iam:TagInstanceProfile',
      Resource: instanceProfiles,
      Condition: {
        StringEquals: {
          [`aws:ResourceTag/${clusterTag}`]: 'owned',
          [`aws:ResourceTag/${TAG_KEYS.region}`]: region,
          [`aws:RequestTag/${clusterTag}`]: 'owned',
          [`aws:RequestTag/${TAG_KEYS.eksClusterName}`]: clusterName,
          [`aws:RequestTag/${TAG_KEYS.region}`]: region,
        },
        StringLike: {
          [`aws:ResourceTag/${TAG_KEYS.nodeClass}`]: '*',
          [`aws:RequestTag/${TAG_KEYS.nodeClass}`]: '*',
        },
      },
    },
    {
      Sid: 'ManageClusterInstanceProfiles',
      Effect: 'Allow',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      Resource: instanceProfiles,
      Condition: {
        StringEquals: { [`aws:ResourceTag/${clusterTag}`]: 'owned', [`aws:ResourceTag/${TAG_KEYS.region}`]: region },
        StringLike: { [`aws:ResourceTag/${TAG_KEYS.nodeClass}`]: '*' },
      },
    },
    {
      Sid: 'ReadInstanceProfiles',
      Effect: 'Allow',
      Action: 'iam:GetInstanceProfile',
      Resource: instanceProfiles,
    },
  );
}

function eksIntegrationPolicy({ partition, region, accountId, clusterName }: PolicyScope): PolicyDocument {
  return policyDocument({
    Sid: 'DescribeThisCluster',
    Effect: 'Allow',
    Action: 'eks:DescribeCluster',
    Resource: `arn:${partition}:eks:${region}:${accountId}:cluster/${clusterName}`,
  });
}

function interruptionPolicy({ partition, region, accountId, interruptionQueueName }: PolicyScope): PolicyDocument {
  return policyDocument({
    Sid: 'ConsumeInterruptionQueue',
    Effect: 'Allow',
    Action: ['sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'],
    Resource: `arn:${partition}:sqs:${region}:${accountId}:${interruptionQueueName}`,
  });
}

function resourceDiscoveryPolicy({ partition, region }: PolicyScope): PolicyDocument {
  return policyDocument(
    {
      Sid: 'DescribeRegionalEC2Resources',
      Effect: 'Allow',
      Action: EC2_DESCRIBE_ACTIONS,
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    {
      Sid: 'ReadPublicAMIParameters',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: `arn:${partition}:ssm:${region}::parameter/aws/service/*`,
    },
    {
      // The Price List API has no resource-level permissions and lives in a few regions only.
      Sid: 'ReadOnDemandPrices',
      Effect: 'Allow',
      Action: 'pricing:GetProducts',
      Resource: '*',
    },
  );
}
