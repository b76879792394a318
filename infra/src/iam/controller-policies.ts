import type { PolicyConcern } from '../names.js';
import { policyDocument, type ConditionBlock, type PolicyDocument } from './policy-document.js';

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
    LaunchTemplates: launchTemplatesPolicy(scope),
    IAMIntegration: iamIntegrationPolicy(scope),
    EKSIntegration: eksIntegrationPolicy(scope),
    Interruption: interruptionPolicy(scope),
    ResourceDiscovery: resourceDiscoveryPolicy(scope),
  };
}

const ec2Arn = ({ partition, region, accountId }: PolicyScope, resource: string, account = accountId) =>
  `arn:${partition}:ec2:${region}:${account}:${resource}`;

/** Conditions: the request tags this cluster's resources with the ownership tags and `ownerKey`. */
function requestTags({ clusterName }: PolicyScope, ownerKey: string, createAction?: string[]): ConditionBlock {
  return {
    StringEquals: {
      [`aws:RequestTag/${TAG_KEYS.cluster(clusterName)}`]: 'owned',
      [`aws:RequestTag/${TAG_KEYS.eksClusterName}`]: clusterName,
      ...(createAction ? { 'ec2:CreateAction': createAction } : {}),
    },
    StringLike: { [`aws:RequestTag/${ownerKey}`]: '*' },
  };
}

/** Conditions: the resource already carries this cluster's ownership tag and `ownerKey`. */
function resourceTags({ clusterName }: PolicyScope, ownerKey: string): ConditionBlock {
  return {
    StringEquals: { [`aws:ResourceTag/${TAG_KEYS.cluster(clusterName)}`]: 'owned' },
    StringLike: { [`aws:ResourceTag/${ownerKey}`]: '*' },
  };
}

/** Launching, tagging and terminating instances (they carry their NodePool's tag). */
function nodeLifecyclePolicy(scope: PolicyScope): PolicyDocument {
  const launched = ['fleet/*', 'instance/*', 'volume/*', 'spot-instances-request/*'].map((r) => ec2Arn(scope, r));
  const instances = ec2Arn(scope, 'instance/*');
  return policyDocument(
    {
      // Images, snapshots, subnets and security groups are chosen by the EC2NodeClass's selectors
      // (any tags, or IDs; subnets may be shared from another account), so they cannot be scoped by
      // this cluster's tags. They are only referenced: every RunInstances/CreateFleet call must also
      // pass the tagged statements for what it creates and the launch template it uses.
      Sid: 'LaunchWithSelectedImagesSubnetsAndSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [ec2Arn(scope, 'image/*', ''), ec2Arn(scope, 'snapshot/*', ''), ec2Arn(scope, 'subnet/*', '*'), ec2Arn(scope, 'security-group/*', '*')],
    },
    {
      Sid: 'LaunchClusterTaggedInstances',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: launched,
      Condition: requestTags(scope, TAG_KEYS.nodePool),
    },
    {
      Sid: 'TagInstancesOnLaunch',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: launched,
      Condition: requestTags(scope, TAG_KEYS.nodePool, ['RunInstances', 'CreateFleet']),
    },
    {
      // After launch the controller only adds the NodeClaim and Name tags to its own instances.
      Sid: 'TagClusterInstances',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: instances,
      Condition: {
        ...resourceTags(scope, TAG_KEYS.nodePool),
        StringEqualsIfExists: { [`aws:RequestTag/${TAG_KEYS.eksClusterName}`]: scope.clusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [TAG_KEYS.eksClusterName, TAG_KEYS.nodeClaim, TAG_KEYS.name] },
      },
    },
    {
      Sid: 'TerminateClusterInstances',
      Effect: 'Allow',
      Action: 'ec2:TerminateInstances',
      Resource: instances,
      Condition: resourceTags(scope, TAG_KEYS.nodePool),
    },
  );
}

/**
 * The cluster's launch templates, and what a launch takes from them: they and the network
 * interfaces they create carry their EC2NodeClass's tag (templates are shared by NodePools).
 */
function launchTemplatesPolicy(scope: PolicyScope): PolicyDocument {
  const launchTemplates = ec2Arn(scope, 'launch-template/*');
  const networkInterfaces = ec2Arn(scope, 'network-interface/*');
  return policyDocument(
    {
      Sid: 'CreateClusterLaunchTemplates',
      Effect: 'Allow',
      Action: 'ec2:CreateLaunchTemplate',
      Resource: launchTemplates,
      Condition: requestTags(scope, TAG_KEYS.nodeClass),
    },
    {
      Sid: 'TagLaunchTemplatesOnCreate',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: launchTemplates,
      Condition: requestTags(scope, TAG_KEYS.nodeClass, ['CreateLaunchTemplate']),
    },
    {
      Sid: 'DeleteClusterLaunchTemplates',
      Effect: 'Allow',
      Action: 'ec2:DeleteLaunchTemplate',
      Resource: launchTemplates,
      Condition: resourceTags(scope, TAG_KEYS.nodeClass),
    },
    {
      Sid: 'LaunchFromClusterLaunchTemplates',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: launchTemplates,
      Condition: resourceTags(scope, TAG_KEYS.nodeClass),
    },
    {
      Sid: 'LaunchClusterTaggedNetworkInterfaces',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: networkInterfaces,
      Condition: requestTags(scope, TAG_KEYS.nodeClass),
    },
    {
      Sid: 'TagNetworkInterfacesOnLaunch',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: networkInterfaces,
      Condition: requestTags(scope, TAG_KEYS.nodeClass, ['RunInstances', 'CreateFleet']),
    },
  );
}

function iamIntegrationPolicy(scope: PolicyScope): PolicyDocument {
  const { partition, accountId, region, clusterName } = scope;
  const instanceProfiles = `arn:${partition}:iam::${accountId}:instance-profile/*`;
  const clusterTag = TAG_KEYS.cluster(clusterName);
  const tags = (kind: 'RequestTag' | 'ResourceTag') => ({
    [`aws:${kind}/${clusterTag}`]: 'owned',
    [`aws:${kind}/${TAG_KEYS.region}`]: region,
  });
  const nodeClassTag = (kind: 'RequestTag' | 'ResourceTag') => ({ [`aws:${kind}/${TAG_KEYS.nodeClass}`]: '*' });
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
      Condition: { StringEquals: tags('RequestTag'), StringLike: nodeClassTag('RequestTag') },
    },
    {
      // Creating a profile with tags also needs the right to tag it; never someone else's profile.
      Sid: 'TagClusterInstanceProfiles',
      Effect: 'Allow',
      Action: 'iam:TagInstanceProfile',
      Resource: instanceProfiles,
      Condition: {
        StringEquals: { ...tags('ResourceTag'), ...tags('RequestTag') },
        StringLike: { ...nodeClassTag('ResourceTag'), ...nodeClassTag('RequestTag') },
      },
    },
    {
      Sid: 'ManageClusterInstanceProfiles',
      Effect: 'Allow',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      Resource: instanceProfiles,
      Condition: { StringEquals: tags('ResourceTag'), StringLike: nodeClassTag('ResourceTag') },
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
