import { CreateTagsCommand, DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, GetInstanceProfileCommand } from '@aws-sdk/client-iam';
import type { EC2NodeClass } from '@karpenter-ts/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_ACTIONS } from '../src/actions.js';
import { instanceProfileName } from '../src/nodeclass/instance-profiles.js';
import {
  createNetwork,
  createNodeRole,
  fixtureClients,

  nodeClassFor,
  pickAmis,
  providerFor,
  recordingClients,
  REGION,
  seedAliasParameters,
  uniqueName,
  type TestNetwork,
} from './aws-test-env.js';

const cluster = uniqueName('nodeclass');
const { clients: providerClients, actions } = recordingClients();
const clients = fixtureClients();
const nodeClasses = new Map<string, EC2NodeClass>();
const provider = providerFor(providerClients, cluster, nodeClasses);
let network: TestNetwork;
let amis: { amd64: string; arm64: string };

beforeAll(async () => {
  network = await createNetwork(clients.ec2, cluster);
  amis = await pickAmis(clients.ec2);
  await seedAliasParameters(clients.ssm, `/${cluster}`, amis);
  await createNodeRole(clients.iam, `${cluster}-node`);
});

afterAll(() => {
  expect([...actions].filter((a) => !(AWS_ACTIONS as readonly string[]).includes(a))).toEqual([]);
});

const condition = (status: EC2NodeClass['status'], type: string) => status?.conditions?.find((c) => c.type === type);

describe('EC2NodeClass resolution against moto', () => {
  it('discovers subnets and security groups by tag, AMIs by alias, and becomes Ready', async () => {
    const status = await provider.reconcileNodeClass(nodeClassFor(cluster, 'default'));
    expect(condition(status, 'Ready')).toMatchObject({ status: 'True', reason: 'Ready' });
    expect(status.subnets?.map((s) => s.id).sort()).toEqual(network.subnets.map((s) => s.id).sort());
    // Most free addresses first: the /20 of us-west-2a before its /26.
    const zoneA = status.subnets!.filter((s) => s.zone === `${REGION}a`).map((s) => s.id);
    expect(zoneA).toEqual([network.subnets[0].id, network.subnets[1].id]);
    expect(status.securityGroups).toEqual([{ id: network.securityGroupId, name: network.securityGroupName }]);
    expect(status.amis?.map((a) => [a.id, a.requirements[0].values?.[0]]).sort()).toEqual(
      [
        [amis.amd64, 'amd64'],
        [amis.arm64, 'arm64'],
      ].sort(),
    );
    expect(status.instanceProfile).toBe(instanceProfileName(cluster, REGION, 'default'));
  });

  it('selects by id, by name and by tag wildcard', async () => {
    const status = await provider.reconcileNodeClass(
      nodeClassFor(cluster, 'by-id', {
        subnetSelectorTerms: [{ id: network.untaggedSubnetId }, { tags: { 'karpenter.sh/discovery': cluster, zone: `${REGION}b` } }],
        securityGroupSelectorTerms: [{ name: network.securityGroupName }],
        amiSelectorTerms: [{ id: amis.arm64 }],
        amiFamily: 'AL2023',
      }),
    );
    expect(status.subnets?.map((s) => s.id).sort()).toEqual([network.untaggedSubnetId, network.subnets[2].id].sort());
    expect(status.securityGroups?.map((g) => g.id)).toEqual([network.securityGroupId]);
    expect(status.amis?.map((a) => a.id)).toEqual([amis.arm64]);

    const wildcard = await provider.reconcileNodeClass(
      nodeClassFor(cluster, 'wildcard', { subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': cluster, zone: '*' } }] }),
    );
    expect(wildcard.subnets).toHaveLength(3);
  });

  it('selects AMIs by tags, one per architecture', async () => {
    const images = ((await clients.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images ?? []).filter((i) => i.Architecture === 'x86_64' && i.CreationDate);
    const [older, newer] = images.slice(0, 2).sort((a, b) => a.CreationDate!.localeCompare(b.CreationDate!));
    const tag = { [`team-${cluster}`]: 'nodes' };
    await clients.ec2.send(new CreateTagsCommand({ Resources: [older.ImageId!, newer.ImageId!], Tags: [{ Key: `team-${cluster}`, Value: 'nodes' }] }));
    const status = await provider.reconcileNodeClass(nodeClassFor(cluster, 'tagged-ami', { amiSelectorTerms: [{ tags: tag }], amiFamily: 'AL2023' }));
    expect(status.amis).toHaveLength(1);
    // moto gives its default images one creation time, so which one wins is covered by the unit test.
    expect([older.ImageId, newer.ImageId]).toContain(status.amis![0].id);
    expect(status.amis![0].requirements).toEqual([{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }]);
  });

  it('reports what to fix when nothing matches, naming the field', async () => {
    const status = await provider.reconcileNodeClass(
      nodeClassFor(cluster, 'broken', {
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'no-such-cluster' } }],
        amiSelectorTerms: [{ name: 'no-such-image-*' }],
        amiFamily: 'AL2023',
      }),
    );
    expect(condition(status, 'SubnetsReady')).toMatchObject({ status: 'False', reason: 'SubnetsNotFound' });
    expect(condition(status, 'SubnetsReady')?.message).toContain('subnetSelectorTerms');
    expect(condition(status, 'AMIsReady')).toMatchObject({ status: 'False', reason: 'AMINotFound' });
    expect(condition(status, 'SecurityGroupsReady')?.status).toBe('True');
    expect(condition(status, 'Ready')).toMatchObject({ status: 'False', reason: 'NotReady' });
    expect(condition(status, 'Ready')?.message).toMatch(/SubnetsReady=False.*AMIsReady=False/);
    expect(status.subnets).toEqual([]);
  });

  it('keeps lastTransitionTime while a condition does not change', async () => {
    const nodeClass = nodeClassFor(cluster, 'stable');
    const first = await provider.reconcileNodeClass(nodeClass);
    const again = await provider.reconcileNodeClass({ ...nodeClass, status: { ...first, conditions: first.conditions!.map((c) => ({ ...c, lastTransitionTime: '2020-01-01T00:00:00.000Z' })) } });
    expect(condition(again, 'Ready')?.lastTransitionTime).toBe('2020-01-01T00:00:00.000Z');
  });
});

describe('instance profile lifecycle', () => {
  const profile = () => instanceProfileName(cluster, REGION, 'profiled');
  const getProfile = async () => (await clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profile() }))).InstanceProfile!;

  it('creates a tagged profile holding the role, and reuses it on the next reconcile', async () => {
    const nodeClass = nodeClassFor(cluster, 'profiled', { role: `arn:aws:iam::123456789012:role/${cluster}-node` });
    const status = await provider.reconcileNodeClass(nodeClass);
    expect(condition(status, 'InstanceProfileReady')?.status).toBe('True');
    const created = await getProfile();
    expect(created.Roles?.map((r) => r.RoleName)).toEqual([`${cluster}-node`]);
    expect(Object.fromEntries((created.Tags ?? []).map((t) => [t.Key, t.Value]))).toMatchObject({
      [`kubernetes.io/cluster/${cluster}`]: 'owned',
      'karpenter.k8s.aws/ec2nodeclass': 'profiled',
    });
    await provider.reconcileNodeClass(nodeClass);
    expect((await getProfile()).InstanceProfileId).toBe(created.InstanceProfileId);
  });

  it('swaps the role when spec.role changes', async () => {
    await clients.iam.send(new CreateRoleCommand({ RoleName: `${cluster}-other`, AssumeRolePolicyDocument: '{}' }));
    await provider.reconcileNodeClass(nodeClassFor(cluster, 'profiled', { role: `${cluster}-other` }));
    expect((await getProfile()).Roles?.map((r) => r.RoleName)).toEqual([`${cluster}-other`]);
  });

  it('deletes the profile when the EC2NodeClass goes away, and a second delete is fine', async () => {
    const nodeClass = nodeClassFor(cluster, 'profiled', { role: `${cluster}-other` });
    await provider.finalizeNodeClass(nodeClass);
    await expect(getProfile()).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    await provider.finalizeNodeClass(nodeClass);
  });

  it('reports a missing user-managed instance profile', async () => {
    const status = await provider.reconcileNodeClass(nodeClassFor(cluster, 'byo', { role: undefined, instanceProfile: `${cluster}-missing` }));
    expect(condition(status, 'InstanceProfileReady')).toMatchObject({ status: 'False', reason: 'InstanceProfileNotFound' });
  });
});

