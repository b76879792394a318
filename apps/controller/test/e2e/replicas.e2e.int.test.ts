import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeClaim, NodePool } from '@karpenter-ts/api';
import { KarpenterResources, KubeClient, ResourceClient, Resources, type Lease, type Resource } from '@karpenter-ts/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetFaultProxy } from '../../../../packages/aws/test/fleet-fault-proxy.js';
import { ec2Client, prepareAccount, region } from './aws-fixtures.js';
import { ControllerProcess } from './controller-process.js';
import { KubeletAndScheduler } from './kubelet-and-scheduler.js';
import { ec2NodeClass, nodePool, pod } from './objects.js';
import { startPrivateMoto, type PrivateMoto } from './private-moto.js';
import { createTestNamespace, deleteTestNamespace, waitFor } from './wait.js';

describe('controller replicas and crashes end to end (separate processes)', () => {
  const suffix = randomBytes(3).toString('hex');
  const clusterName = `e2e-ha-${suffix}`;
  const poolName = `ha-${suffix}`;
  const leaseName = `karpenter-leader-${suffix}`;
  let moto: PrivateMoto;
  let proxy: FleetFaultProxy;
  let ec2Endpoint: string;
  let kube: KubeClient;
  let namespace: string;
  let cluster: KubeletAndScheduler;
  let nodeClaims: ResourceClient<NodeClaim>;
  const processes: ControllerProcess[] = [];

  const replica = (identity: string) => {
    const controller = new ControllerProcess(identity, {
      CLUSTER_NAME: clusterName,
      AWS_REGION: region,
      // EC2 through the fault proxy (it records every CreateFleet), everything else straight to moto.
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ENDPOINT_URL_EC2: ec2Endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      LEADER_ELECTION_NAMESPACE: namespace,
      LEADER_ELECTION_NAME: leaseName,
      LEDGER_PATH: join(tmpdir(), `karpenter-e2e-${suffix}-${identity}.sqlite`),
    });
    processes.push(controller);
    return controller;
  };
  const holder = async () => (await new ResourceClient<Lease>(kube, Resources.leases).get(leaseName, namespace))?.spec?.holderIdentity;
  const myClaims = async () => (await nodeClaims.list()).items.filter((c) => c.metadata.labels?.['karpenter.sh/nodepool'] === poolName);
  const initializedFor = async (podName: string) =>
    waitFor(`a NodeClaim for ${podName} to initialize`, async () => {
      const claims = await myClaims();
      const p = await new ResourceClient(kube, Resources.pods).get(podName, namespace);
      const claim = claims.find((c) => c.status?.nodeName && c.status.nodeName === p?.spec?.nodeName);
      return claim?.status?.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ? claim : undefined;
    }, 90_000);

  beforeAll(async () => {
    moto = await startPrivateMoto();
    proxy = new FleetFaultProxy(moto.endpoint);
    ec2Endpoint = await proxy.start();
    const aws = await prepareAccount(moto.endpoint, clusterName);
    kube = KubeClient.fromEnvironment();
    namespace = await createTestNamespace(kube, 'e2e-ha');
    nodeClaims = new ResourceClient(kube, KarpenterResources.nodeClaims as Resource<NodeClaim>);
    await new ResourceClient(kube, KarpenterResources.ec2NodeClasses).create(ec2NodeClass(poolName, clusterName, aws));
    await new ResourceClient(kube, KarpenterResources.nodePools as Resource<NodePool>).create(nodePool(poolName, poolName));
    cluster = new KubeletAndScheduler(kube, ec2Client(moto.endpoint), clusterName, namespace);
    cluster.start();
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await cluster?.stop();
    for (const claim of await myClaims()) {
      await nodeClaims.patch(claim.metadata.name!, undefined, { metadata: { finalizers: null } }).catch(() => undefined);
      await nodeClaims.delete(claim.metadata.name!);
    }
    await new ResourceClient(kube, KarpenterResources.nodePools).delete(poolName);
    await new ResourceClient(kube, KarpenterResources.ec2NodeClasses).patch(poolName, undefined, { metadata: { finalizers: null } }).catch(() => undefined);
    await new ResourceClient(kube, KarpenterResources.ec2NodeClasses).delete(poolName);
    await deleteTestNamespace(kube, namespace);
    await proxy?.stop();
    await moto?.stop();
    kube?.close();
  });

  it('with two replicas only the leader acts, and the other takes over within 15 s when it stops', { timeout: 240_000 }, async () => {
    const a = replica('replica-a');
    const b = replica('replica-b');
    const leaderId = await waitFor('a leader', holder, 60_000);
    const [leader, standby] = leaderId === 'replica-a' ? [a, b] : [b, a];
    await waitFor('the standby to be up', () => standby.logged('karpenter started'), 60_000);

    await new ResourceClient(kube, Resources.pods).create(pod('one-0', namespace, poolName, { cpu: '1', memory: '1Gi' }));
    await initializedFor('one-0');
    expect(leader.logs.filter((l) => l.msg === 'created nodeclaim')).toHaveLength(1);
    expect(standby.logs.filter((l) => /created nodeclaim|launched nodeclaim|registered nodeclaim/.test(l.msg ?? ''))).toEqual([]);
    expect(standby.logged('leading: starting controllers')).toBeUndefined();

    const stoppedAt = Date.now();
    await leader.stop();
    await waitFor('the standby to lead', () => standby.logged('leading: starting controllers'), 15_000);
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    expect(await holder()).toBe(standby.identity);

    await new ResourceClient(kube, Resources.pods).create(pod('two-0', namespace, poolName, { cpu: '1', memory: '1Gi' }));
    await initializedFor('two-0');
    expect(standby.logs.filter((l) => l.msg === 'created nodeclaim')).toHaveLength(1);
    await standby.stop();
  });

  it('killed (SIGKILL) in the middle of a launch and restarted: no duplicate instance, none leaked', { timeout: 240_000 }, async () => {
    const victim = replica('replica-c');
    await waitFor('replica-c to lead', () => victim.logged('leading: starting controllers'), 60_000);
    const fleetsBefore = proxy.fleets.length;
    // Kill the controller the moment its CreateFleet reaches EC2: the instance is launched,
    // but the controller never sees the answer nor records it on the NodeClaim.
    proxy.failRequest = (params) => {
      if (params.get('Action') === 'CreateFleet') victim.kill('SIGKILL');
      return undefined;
    };
    await new ResourceClient(kube, Resources.pods).create(pod('three-0', namespace, poolName, { cpu: '1', memory: '1Gi' }));
    await victim.exited;
    proxy.failRequest = undefined;
    expect(proxy.fleets.length).toBe(fleetsBefore + 1);
    const orphaned = (await myClaims()).find((c) => !c.status?.providerID);
    expect(orphaned).toBeDefined();
    const launched = await waitFor('the instance launched for it', async () =>
      (await cluster.instances()).find((i) => i.State?.Name === 'running' && i.Tags?.some((t) => t.Key === 'karpenter.sh/nodeclaim' && t.Value === orphaned!.metadata.name)),
    );

    // The killed replica held the lease: its successor waits it out (at most 15 s + a retry), then adopts the instance.
    const successor = replica('replica-d');
    const claim = await initializedFor('three-0');
    expect(claim.metadata.name).toBe(orphaned!.metadata.name);
    expect(claim.status?.providerID).toContain(launched.InstanceId);
    expect(proxy.fleets.length).toBe(fleetsBefore + 1); // no second launch
    expect(successor.logged('adopting an instance launched before a restart')).toBeDefined();
    const running = (await cluster.instances()).filter((i) => i.State?.Name === 'running');
    const claimed = new Set((await myClaims()).map((c) => c.status?.providerID?.split('/').pop()));
    expect(running.filter((i) => !claimed.has(i.InstanceId))).toEqual([]); // nothing leaked
  });
});
