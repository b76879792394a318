import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateError, NodeClaimNotFoundError, type EC2NodeClass } from '@karpenter-ts/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_ACTIONS } from '../src/actions.js';
import {
  createNetwork,
  createNodeRole,
  fixtureClients,
  motoEndpoint,
  nodeClaimFor,
  nodeClassFor,
  pickAmis,
  providerFor,
  recordingClients,
  seedAliasParameters,
  uniqueName,
  type TestNetwork,
} from './aws-test-env.js';
import { FleetFaultProxy } from './fleet-fault-proxy.js';

const cluster = uniqueName('launch');
const fixture = fixtureClients();
const proxy = new FleetFaultProxy(motoEndpoint());
const nodeClasses = new Map<string, EC2NodeClass>();
let now = Date.parse('2026-01-01T00:00:00Z');
let actions: Set<string>;
let provider: ReturnType<typeof providerFor>;
let network: TestNetwork;
let amis: { amd64: string; arm64: string };

const onDemand = (types: string[]) => [
  { key: 'node.kubernetes.io/instance-type', operator: 'In' as const, values: types },
  { key: 'karpenter.sh/capacity-type', operator: 'In' as const, values: ['on-demand'] },
];

async function describeInstance(id: string) {
  const out = await fixture.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations![0].Instances![0];
}

async function resolve(name: string, spec: Partial<EC2NodeClass['spec']> = {}) {
  const nodeClass = nodeClassFor(cluster, name, spec);
  nodeClasses.set(name, { ...nodeClass, status: await provider.reconcileNodeClass(nodeClass) });
}

beforeAll(async () => {
  const recording = recordingClients(await proxy.start());
  actions = recording.actions;
  provider = providerFor(recording.clients, cluster, nodeClasses, { clock: () => now });
  network = await createNetwork(fixture.ec2, cluster);
  amis = await pickAmis(fixture.ec2);
  await seedAliasParameters(fixture.ssm, `/${cluster}`, amis);
  await createNodeRole(fixture.iam, `${cluster}-node`);
  await provider.refreshInstanceTypes(); // the slow catalog read happens here, under the hook timeout
  await resolve('default', { tags: { team: 'platform' } });
});

afterAll(async () => {
  await proxy.stop();
  expect([...actions].filter((a) => !(AWS_ACTIONS as readonly string[]).includes(a))).toEqual([]);
});

describe('launch, tags, get, list and delete against moto', () => {
  it('launches the cheapest on-demand offering with tags on instance, volume and fleet', async () => {
    const launched = await provider.create(nodeClaimFor('web-1', 'default', onDemand(['m5.large', 'c5.large'])));
    const labels = launched.metadata.labels!;
    expect(labels['node.kubernetes.io/instance-type']).toBe('c5.large');
    expect(labels['karpenter.sh/capacity-type']).toBe('on-demand');
    expect(labels['karpenter.sh/nodepool']).toBe('default');
    expect(labels['karpenter.k8s.aws/instance-family']).toBe('c5');
    expect(launched.status?.providerID).toMatch(new RegExp(`^aws:///${labels['topology.kubernetes.io/zone']}/i-[0-9a-f]+$`));
    expect(launched.status?.imageID).toBe(amis.amd64);
    expect(launched.status?.capacity?.cpu).toBe('2');

    const fleet = proxy.fleets.at(-1)!;
    expect(fleet).toMatchObject({ capacityType: 'on-demand', allocationStrategy: 'lowest-price' });
    const expectedTags = {
      team: 'platform',
      [`kubernetes.io/cluster/${cluster}`]: 'owned',
      'eks:eks-cluster-name': cluster,
      'karpenter.sh/nodepool': 'default',
      'karpenter.k8s.aws/ec2nodeclass': 'default',
      'karpenter.sh/nodeclaim': 'web-1',
    };
    for (const resource of ['instance', 'volume', 'fleet']) expect(fleet.tagSpecifications[resource]).toEqual(expectedTags);
    const instance = await describeInstance(launched.status!.providerID!.split('/').at(-1)!);
    expect(Object.fromEntries(instance.Tags!.map((t) => [t.Key, t.Value]))).toMatchObject(expectedTags);
  });

  it('uses, per zone, the subnet with the most free addresses', async () => {
    await provider.create(nodeClaimFor('web-2', 'default', onDemand(['c5.large'])));
    const zoneA = proxy.fleets.at(-1)!.overrides.filter((o) => o.zone.endsWith('a'));
    expect(zoneA.map((o) => o.subnetId)).toEqual([network.subnets[0].id]);
  });

  it('gets and lists instances by the cluster tags, and delete terminates (already gone is NodeClaimNotFound)', async () => {
    const launched = await provider.create(nodeClaimFor('web-3', 'default', onDemand(['c5.large'])));
    const providerID = launched.status!.providerID!;
    const got = await provider.get(providerID);
    expect(got.metadata.name).toBe('web-3');
    expect(got.metadata.labels?.['node.kubernetes.io/instance-type']).toBe('c5.large');
    expect((await provider.list()).map((c) => c.status?.providerID)).toContain(providerID);

    await provider.delete(launched);
    expect((await describeInstance(providerID.split('/').at(-1)!)).State?.Name).toBe('terminated');
    await expect(provider.get(providerID)).rejects.toBeInstanceOf(NodeClaimNotFoundError);
    expect((await provider.list()).map((c) => c.status?.providerID)).not.toContain(providerID);
    await expect(provider.delete(launched)).rejects.toBeInstanceOf(NodeClaimNotFoundError);
  });

  it('a create retried after a crash returns the instance already launched', async () => {
    const claim = nodeClaimFor('retry-1', 'default', onDemand(['c5.large']));
    const fleetsBefore = proxy.fleets.length;
    const first = await provider.create(claim);
    const again = await provider.create(claim);
    expect(again.status?.providerID).toBe(first.status?.providerID);
    expect(proxy.fleets.length).toBe(fleetsBefore + 1);
    expect((await provider.list()).filter((c) => c.metadata.name === 'retry-1')).toHaveLength(1);
  });

  it('derives the fleet client token from the NodeClaim and the request', async () => {
    const [a, b] = proxy.fleets.slice(-2);
    expect(a.clientToken).toMatch(/^[0-9a-f]{64}$/);
    expect(b.clientToken).not.toBe(a.clientToken);
  });

  it('terminates the instance when a step after the fleet call fails, naming the NodeClaim', async () => {
    proxy.failRequest = (params) => (params.get('Action') === 'DescribeInstances' && params.has('InstanceId.1') ? 'UnauthorizedOperation' : undefined);
    try {
      await expect(provider.create(nodeClaimFor('leaky-1', 'default', onDemand(['c5.large'])))).rejects.toThrow(/NodeClaim leaky-1: .*terminated.*ec2:DescribeInstances was denied/);
    } finally {
      proxy.failRequest = undefined;
    }
    const out = await fixture.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:karpenter.sh/nodeclaim', Values: ['leaky-1'] }] }));
    const states = out.Reservations!.flatMap((r) => r.Instances!).map((i) => i.State?.Name);
    expect(states).toEqual(['terminated']);
  });
});

describe('invalid settings', () => {
  it('fails without launching when spec.userData cannot be merged, naming the NodeClaim, EC2NodeClass and field', async () => {
    await resolve('bad-user-data', { userData: 'MIME-Version: 1.0\nContent-Type: multipart/mixed\n\necho hi\n' });
    const fleetsBefore = proxy.fleets.length;
    const error = await provider.create(nodeClaimFor('bad-1', 'bad-user-data', onDemand(['c5.large']))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CreateError);
    expect((error as CreateError).reason).toBe('InvalidConfiguration');
    expect((error as Error).message).toMatch(/^NodeClaim bad-1: preparing the launch template from EC2NodeClass bad-user-data: spec.userData: .*boundary/);
    expect(proxy.fleets.length).toBe(fleetsBefore);
  });

  it('refuses a NodeClaim whose EC2NodeClass is not ready, saying why', async () => {
    const broken = nodeClassFor(cluster, 'not-ready', { subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'nowhere' } }] });
    nodeClasses.set('not-ready', { ...broken, status: await provider.reconcileNodeClass(broken) });
    await expect(provider.create(nodeClaimFor('nr-1', 'not-ready', onDemand(['c5.large'])))).rejects.toThrow(
      /NodeClaim nr-1: EC2NodeClass not-ready is not ready: SubnetsReady=False: no subnet/,
    );
  });
});

describe('launch templates', () => {
  it('reuses a template with the same content and makes a new one when the content changes', async () => {
    await provider.create(nodeClaimFor('lt-1', 'default', onDemand(['c5.large'])));
    const first = proxy.fleets.at(-1)!.overrides[0].launchTemplateName;
    const count = (await provider.launchTemplates.list()).length;
    await provider.create(nodeClaimFor('lt-2', 'default', onDemand(['c5.large'])));
    expect(proxy.fleets.at(-1)!.overrides[0].launchTemplateName).toBe(first);
    expect(await provider.launchTemplates.list()).toHaveLength(count);

    await resolve('default', { tags: { team: 'platform' }, metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 2, httpTokens: 'required' } });
    await provider.create(nodeClaimFor('lt-3', 'default', onDemand(['c5.large'])));
    const changed = proxy.fleets.at(-1)!.overrides[0].launchTemplateName;
    expect(changed).not.toBe(first);
    expect(await provider.launchTemplates.list()).toEqual(expect.arrayContaining([first, changed]));
  });

  it('deletes templates no launch used recently, and those of a deleted EC2NodeClass', async () => {
    const inUse = proxy.fleets.at(-1)!.overrides[0].launchTemplateName;
    now += 5 * 60_000;
    await provider.create(nodeClaimFor('lt-4', 'default', onDemand(['c5.large'])));
    now += 6 * 60_000;
    const deleted = await provider.deleteUnusedLaunchTemplates();
    expect(deleted).not.toContain(inUse);
    expect(deleted.length).toBeGreaterThan(0);
    expect(await provider.launchTemplates.list()).toEqual([inUse]);

    await provider.finalizeNodeClass(nodeClasses.get('default')!);
    expect(await provider.launchTemplates.list()).toEqual([]);
    await resolve('default', { tags: { team: 'platform' } });
  });
});

describe('drift', () => {
  it('reports AMI and subnet drift with the reason', async () => {
    const launched = await provider.create(nodeClaimFor('drift-1', 'default', onDemand(['c5.large'])));
    const current = nodeClasses.get('default')!;
    const instanceSubnet = (await describeInstance(launched.status!.providerID!.split('/').at(-1)!)).SubnetId!;
    const withStatus = (status: Partial<NonNullable<EC2NodeClass['status']>>) =>
      nodeClasses.set('default', { ...current, status: { ...current.status, securityGroups: undefined, ...status } });

    withStatus({});
    expect(await provider.isDrifted(launched)).toBeUndefined();
    withStatus({ amis: [{ id: amis.arm64, requirements: [] }] });
    expect(await provider.isDrifted(launched)).toBe('AMIDrifted');
    withStatus({ subnets: current.status!.subnets!.filter((s) => s.id !== instanceSubnet) });
    expect(await provider.isDrifted(launched)).toBe('SubnetDrifted');
    nodeClasses.set('default', current);
  });
});
