import { describe, expect, it } from 'vitest';
import { AWS_ACTIONS, AWS_IMPLIED_ACTIONS, TagKeys } from '@karpenter-ts/aws';
import { POLICY_CONCERNS } from '../names.js';
import { controllerPolicies, EC2_DESCRIBE_ACTIONS, TAG_KEYS, type PolicyScope } from './controller-policies.js';
import { asList, policySize, type PolicyStatement } from './policy-document.js';

// Every AWS action the controller calls: packages/aws's list, the permissions IAM checks as part
// of those calls, and eks:DescribeCluster, which the reference grants for discovering the endpoint.
const CONTROLLER_ACTIONS = [...AWS_ACTIONS, ...Object.keys(AWS_IMPLIED_ACTIONS), 'eks:DescribeCluster'];

const scope: PolicyScope = {
  partition: 'aws',
  accountId: '111122223333',
  region: 'us-west-2',
  dnsSuffix: 'amazonaws.com',
  clusterName: 'demo',
  nodeRoleName: 'KarpenterNodeRole-demo',
  interruptionQueueName: 'Karpenter-demo',
};
const policies = controllerPolicies(scope);
const statements = Object.values(policies).flatMap((policy) => policy.Statement);
const allows = (action: string) => statements.filter((s) => s.Effect === 'Allow' && asList(s.Action).includes(action));
const readOnly = (action: string) => /^[a-z0-9]+:(Describe|Get|List)/.test(action);
const clusterTagKeys = (s: PolicyStatement) =>
  Object.values(s.Condition ?? {}).flatMap((block) => Object.keys(block)).filter((key) => key.endsWith('/kubernetes.io/cluster/demo'));

describe('controller policies', () => {
  it('are one managed policy per concern', () => {
    expect(Object.keys(policies)).toEqual([...POLICY_CONCERNS]);
    for (const concern of POLICY_CONCERNS) expect(policies[concern].Statement.length).toBeGreaterThan(0);
  });

  it.each(CONTROLLER_ACTIONS)('allow %s, which the controller calls', (action) => {
    expect(allows(action).length).toBeGreaterThan(0);
  });

  it('scope by the tag keys packages/aws writes', () => {
    const { cluster, region, ...keys } = TAG_KEYS;
    const { cluster: awsCluster, ...awsKeys } = TagKeys;
    expect(keys).toEqual(awsKeys);
    expect(cluster('demo')).toBe(awsCluster('demo'));
    expect(region).toBe('topology.kubernetes.io/region');
  });

  it('name every action exactly (no action wildcards)', () => {
    for (const s of statements) for (const action of asList(s.Action)) expect(action).toMatch(/^[a-z0-9]+:[A-Za-z]+$/);
  });

  it('grant Resource "*" only to read-only calls without resource-level permissions, EC2 ones only in this region', () => {
    const unscoped = statements.filter((s) => asList(s.Resource).includes('*'));
    expect(unscoped.flatMap((s) => asList(s.Action)).sort()).toEqual([...EC2_DESCRIBE_ACTIONS, 'pricing:GetProducts'].sort());
    const ec2 = unscoped.find((s) => asList(s.Action).includes('ec2:DescribeInstances'))!;
    expect(ec2.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': 'us-west-2' } });
  });

  it('allow every mutating action only with this cluster\'s tags or on one exact resource', () => {
    // Launches also name images, snapshots, subnets and security groups, which the EC2NodeClass
    // selects by any tags: that statement adds no power by itself, since the same call must pass
    // the tag-scoped statements for the instance and the launch template.
    const referenced = (s: PolicyStatement) =>
      asList(s.Resource).every((arn) => /:(image|snapshot|subnet|security-group)\/\*$/.test(arn));
    for (const s of statements.filter((st) => st.Effect === 'Allow')) {
      const mutating = asList(s.Action).filter((a) => !readOnly(a));
      if (mutating.length === 0) continue;
      if (referenced(s)) {
        expect(mutating.sort()).toEqual(['ec2:CreateFleet', 'ec2:RunInstances']);
        continue;
      }
      const exact = asList(s.Resource).every((arn) => !arn.includes('*'));
      expect(exact || clusterTagKeys(s).length > 0, `${s.Sid} must be tag-scoped`).toBe(true);
    }
    for (const launch of ['ec2:RunInstances', 'ec2:CreateFleet']) {
      const scoped = allows(launch).filter((s) => clusterTagKeys(s).length > 0);
      expect(scoped.flatMap((s) => asList(s.Resource))).toEqual(
        expect.arrayContaining([expect.stringMatching(/:instance\/\*$/), expect.stringMatching(/:launch-template\/\*$/)]),
      );
    }
  });

  it('create instances and launch templates only with the ownership tags and delete only owned ones', () => {
    const [launch] = allows('ec2:RunInstances').filter((s) => asList(s.Resource).some((r) => r.endsWith(':instance/*')));
    expect(launch!.Condition).toEqual({
      StringEquals: { 'aws:RequestTag/kubernetes.io/cluster/demo': 'owned', 'aws:RequestTag/eks:eks-cluster-name': 'demo' },
      StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
    });
    const [terminate] = allows('ec2:TerminateInstances');
    expect(terminate!.Resource).toBe('arn:aws:ec2:us-west-2:111122223333:instance/*');
    expect(terminate!.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/demo': 'owned' },
      StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
    });
    const [deleteTemplate] = allows('ec2:DeleteLaunchTemplate');
    expect(deleteTemplate!.Condition!.StringLike).toEqual({ 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' });
  });

  it('tag only on create, or add only the NodeClaim and Name tags to owned instances', () => {
    const tagging = allows('ec2:CreateTags');
    for (const s of tagging) {
      const createAction = s.Condition?.StringEquals?.['ec2:CreateAction'];
      const keys = s.Condition?.['ForAllValues:StringEquals']?.['aws:TagKeys'];
      expect(createAction !== undefined || keys !== undefined, s.Sid).toBe(true);
      if (keys !== undefined) expect(asList(keys).sort()).toEqual(['Name', 'eks:eks-cluster-name', 'karpenter.sh/nodeclaim']);
    }
  });

  it('pass only the node role, and only to EC2', () => {
    expect(allows('iam:PassRole')).toEqual([
      expect.objectContaining({
        Resource: 'arn:aws:iam::111122223333:role/KarpenterNodeRole-demo',
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      }),
    ]);
  });

  it('scope SSM to public parameters, EKS to this cluster and SQS to the interruption queue', () => {
    expect(allows('ssm:GetParameter')[0]!.Resource).toBe('arn:aws:ssm:us-west-2::parameter/aws/service/*');
    expect(allows('eks:DescribeCluster')[0]!.Resource).toBe('arn:aws:eks:us-west-2:111122223333:cluster/demo');
    for (const action of ['sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']) {
      expect(allows(action)[0]!.Resource).toBe('arn:aws:sqs:us-west-2:111122223333:Karpenter-demo');
    }
  });

  it('stay well under the 6,144-character managed-policy limit for a 100-character cluster name', () => {
    const worst = controllerPolicies({
      partition: 'aws-us-gov',
      accountId: '111122223333',
      region: 'ap-southeast-2',
      dnsSuffix: 'amazonaws.com.cn',
      clusterName: 'c'.repeat(100),
      nodeRoleName: 'n'.repeat(64),
      interruptionQueueName: 'q'.repeat(80),
    });
    const sizes = Object.fromEntries(POLICY_CONCERNS.map((concern) => [concern, policySize(worst[concern])]));
    console.log('policy sizes for a 100-character cluster name:', sizes);
    for (const size of Object.values(sizes)) expect(size).toBeLessThan(6144 * 0.75);
  });
});
