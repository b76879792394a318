// Instance choice and capacity-error fallback. moto always launches the first override and never
// reports capacity errors, so a proxy in front of its EC2 endpoint plays EC2's part: it records
// the overrides of every CreateFleet and answers chosen offerings with fleet errors.
import { InsufficientCapacityError, type EC2NodeClass, type NodePool } from '@karpenter-ts/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
  REGION,
  seedAliasParameters,
  uniqueName,
  type TestNetwork,
} from './aws-test-env.js';
import { FleetFaultProxy } from './fleet-fault-proxy.js';

const cluster = uniqueName('capacity');
const fixture = fixtureClients();
const proxy = new FleetFaultProxy(motoEndpoint());
const nodeClasses = new Map<string, EC2NodeClass>();
let now = Date.parse('2026-01-01T00:00:00Z');
let actions: Set<string>;
let provider: ReturnType<typeof providerFor>;
let network: TestNetwork;
let claims = 0;

const types = ['m5.xlarge', 'm5.large', 'c5.large'];
const requirements = (capacityTypes: string[], extra: { key: string; operator: 'In'; values: string[] }[] = []) => [
  { key: 'node.kubernetes.io/instance-type', operator: 'In' as const, values: types },
  { key: 'karpenter.sh/capacity-type', operator: 'In' as const, values: capacityTypes },
  ...extra,
];
const create = (capacityTypes: string[], extra: { key: string; operator: 'In'; values: string[] }[] = []) =>
  provider.create(nodeClaimFor(`claim-${++claims}`, 'default', requirements(capacityTypes, extra)));
const lastFleet = () => proxy.fleets.at(-1)!;

beforeAll(async () => {
  const recording = recordingClients(await proxy.start());
  actions = recording.actions;
  provider = providerFor(recording.clients, cluster, nodeClasses, { clock: () => now });
  network = await createNetwork(fixture.ec2, cluster);
  await seedAliasParameters(fixture.ssm, `/${cluster}`, await pickAmis(fixture.ec2));
  await createNodeRole(fixture.iam, `${cluster}-node`);
  await provider.refreshInstanceTypes(); // the slow catalog read happens here, under the hook timeout
  const nodeClass = nodeClassFor(cluster, 'default');
  nodeClasses.set('default', { ...nodeClass, status: await provider.reconcileNodeClass(nodeClass) });
});

beforeEach(() => {
  proxy.faults = [];
  now += 10 * 60_000; // every test starts with no offering marked unavailable
});

afterAll(async () => {
  await proxy.stop();
  expect([...actions].filter((a) => !(AWS_ACTIONS as readonly string[]).includes(a))).toEqual([]);
});

describe('instance choice', () => {
  it('offers only the architectures the EC2NodeClass has an AMI for', async () => {
    const nodePool = { metadata: { name: 'default' }, spec: { template: { spec: { nodeClassRef: { name: 'default' } } } } } as NodePool;
    const archOf = (types: { requirements: readonly { key: string; values?: readonly string[] }[] }[]) =>
      new Set(types.map((t) => t.requirements.find((r) => r.key === 'kubernetes.io/arch')?.values?.[0]));
    expect(archOf(await provider.getInstanceTypes(nodePool))).toEqual(new Set(['amd64', 'arm64']));
    const current = nodeClasses.get('default')!;
    const amd64Only = current.status!.amis!.filter((a) => a.requirements[0].values?.[0] === 'amd64');
    nodeClasses.set('default', { ...current, status: { ...current.status, amis: amd64Only } });
    try {
      expect(archOf(await provider.getInstanceTypes(nodePool))).toEqual(new Set(['amd64']));
    } finally {
      nodeClasses.set('default', current);
    }
  });

  it('sends on-demand overrides cheapest first with lowest-price, one per instance type and zone', async () => {
    const launched = await create(['on-demand']);
    const fleet = lastFleet();
    expect(fleet).toMatchObject({ capacityType: 'on-demand', allocationStrategy: 'lowest-price' });
    // Bundled us-west-2 on-demand prices: c5.large < m5.large < m5.xlarge; zones a and b have tagged subnets.
    expect(fleet.overrides.map((o) => `${o.instanceType}/${o.zone}`)).toEqual([
      `c5.large/${REGION}a`,
      `c5.large/${REGION}b`,
      `m5.large/${REGION}a`,
      `m5.large/${REGION}b`,
      `m5.xlarge/${REGION}a`,
      `m5.xlarge/${REGION}b`,
    ]);
    expect(fleet.overrides.map((o) => o.priority)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(launched.metadata.labels?.['node.kubernetes.io/instance-type']).toBe('c5.large');
  });

  it('uses spot with price-capacity-optimized when the requirements allow it', async () => {
    const launched = await create(['spot', 'on-demand']);
    expect(lastFleet()).toMatchObject({ capacityType: 'spot', allocationStrategy: 'price-capacity-optimized' });
    expect(launched.metadata.labels?.['karpenter.sh/capacity-type']).toBe('spot');
  });

  it('keeps to the zones the NodeClaim allows', async () => {
    await create(['on-demand'], [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [`${REGION}b`] }]);
    expect(new Set(lastFleet().overrides.map((o) => o.zone))).toEqual(new Set([`${REGION}b`]));
  });
});

describe('throttling', () => {
  it('retries a throttled call with the SDK backoff and launches', async () => {
    let calls = 0;
    proxy.failRequest = (params) => (params.get('Action') === 'CreateFleet' && calls++ === 0 ? 'RequestLimitExceeded' : undefined);
    try {
      const launched = await create(['on-demand']);
      expect(calls).toBe(2);
      expect(launched.status?.providerID).toMatch(/^aws:\/\/\//);
    } finally {
      proxy.failRequest = undefined;
    }
  });
});

describe('capacity errors', () => {
  it('launches the next offering when the cheapest has no capacity, and skips it for 3 minutes', async () => {
    proxy.faults = [{ code: 'InsufficientInstanceCapacity', instanceType: 'c5.large' }];
    const launched = await create(['on-demand']);
    expect(launched.metadata.labels?.['node.kubernetes.io/instance-type']).toBe('m5.large');
    expect(provider.unavailableOfferings.isOfferingUnavailable('on-demand', 'c5.large', `${REGION}a`)).toBe(true);

    const nodePool = { metadata: { name: 'default' }, spec: { template: { spec: { nodeClassRef: { name: 'default' } } } } } as NodePool;
    const c5 = (await provider.getInstanceTypes(nodePool)).find((t) => t.name === 'c5.large')!;
    const onDemand = c5.offerings.filter((o) => o.capacityType === 'on-demand');
    // Only zones a and b were tried (they have the subnets); the other zones stay available.
    expect(onDemand.filter((o) => !o.available).map((o) => o.zone).sort()).toEqual([`${REGION}a`, `${REGION}b`]);

    proxy.faults = [];
    await create(['on-demand']);
    expect(lastFleet().overrides.map((o) => o.instanceType)).not.toContain('c5.large');

    now += 3 * 60_000 + 1;
    await create(['on-demand']);
    expect(lastFleet().overrides[0].instanceType).toBe('c5.large');
  });

  it('learns the zone of a failed offering from its subnet when EC2 leaves the zone out', async () => {
    proxy.faults = [{ code: 'InsufficientInstanceCapacity', instanceType: 'c5.large', omitZone: true }];
    const launched = await create(['on-demand']);
    expect(launched.metadata.labels?.['node.kubernetes.io/instance-type']).toBe('m5.large');
    expect(provider.unavailableOfferings.isOfferingUnavailable('on-demand', 'c5.large', `${REGION}b`)).toBe(true);
  });

  it('retries with on-demand when every spot offering fails', async () => {
    proxy.faults = [{ code: 'MaxSpotInstanceCountExceeded', capacityType: 'spot' }];
    const fleetsBefore = proxy.fleets.length;
    const launched = await create(['spot', 'on-demand']);
    expect(proxy.fleets.slice(fleetsBefore).map((f) => f.capacityType)).toEqual(['spot', 'on-demand']);
    expect(launched.metadata.labels?.['karpenter.sh/capacity-type']).toBe('on-demand');
  });

  it('skips a subnet out of addresses, not its zone', async () => {
    proxy.faults = [{ code: 'InsufficientFreeAddressesInSubnet', subnetId: network.subnets[0].id }];
    const fleetsBefore = proxy.fleets.length;
    const launched = await create(['on-demand'], [
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: [`${REGION}a`] },
      { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c5.large'] },
    ]);
    const [first, second] = proxy.fleets.slice(fleetsBefore);
    expect(first.overrides.map((o) => o.subnetId)).toEqual([network.subnets[0].id]);
    expect(second.overrides.map((o) => o.subnetId)).toEqual([network.subnets[1].id]);
    expect(launched.metadata.labels?.['topology.kubernetes.io/zone']).toBe(`${REGION}a`);
  });

  it('fails with InsufficientCapacityError naming the NodeClaim when nothing can launch', async () => {
    proxy.faults = [{ code: 'VcpuLimitExceeded' }];
    const error = await create(['spot', 'on-demand']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientCapacityError);
    expect((error as Error).message).toMatch(new RegExp(`NodeClaim claim-${claims}: no launchable offering`));
    expect((error as InsufficientCapacityError).unavailable.length).toBeGreaterThan(0);
  });

  it('fails at once, without marking offerings, on an error that is not about capacity', async () => {
    proxy.faults = [{ code: 'InvalidLaunchTemplateName.NotFoundException' }];
    const fleetsBefore = proxy.fleets.length;
    await expect(create(['on-demand'])).rejects.toThrow(/CreateFleet launched nothing: InvalidLaunchTemplateName.NotFoundException/);
    expect(proxy.fleets.length).toBe(fleetsBefore + 1);
    expect(provider.unavailableOfferings.isOfferingUnavailable('on-demand', 'c5.large', `${REGION}a`)).toBe(false);
  });
});
