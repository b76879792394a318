import { randomBytes } from 'node:crypto';
import type { NodeClaim, NodePool } from '@karpenter-ts/api';
import { KarpenterResources, KubeClient, ResourceClient, Resources, type Resource } from '@karpenter-ts/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The AWS provider's own test double for EC2 capacity errors (moto never returns them).
import { FleetFaultProxy } from '../../../../packages/aws/test/fleet-fault-proxy.js';
import { ec2Client, prepareAccount, type AwsFixture } from './aws-fixtures.js';
import { KubeletAndScheduler } from './kubelet-and-scheduler.js';
import { ec2NodeClass, nodePool, pod } from './objects.js';
import { startOperator, type OperatorUnderTest } from './operator-under-test.js';
import { startPrivateMoto, type PrivateMoto } from './private-moto.js';
import { createTestNamespace, deleteTestNamespace, waitFor } from './wait.js';

describe('capacity errors end to end', () => {
  const suffix = randomBytes(3).toString('hex');
  const clusterName = `e2e-ice-${suffix}`;
  const poolName = `ice-${suffix}`;
  const candidates = ['c5.large', 'c5.xlarge', 'm5.large'];
  let moto: PrivateMoto;
  let proxy: FleetFaultProxy;
  let aws: AwsFixture;
  let kube: KubeClient;
  let namespace: string;
  let cluster: KubeletAndScheduler;
  let op: OperatorUnderTest;
  let nodeClaims: ResourceClient<NodeClaim>;

  beforeAll(async () => {
    moto = await startPrivateMoto();
    proxy = new FleetFaultProxy(moto.endpoint);
    const ec2Endpoint = await proxy.start();
    aws = await prepareAccount(moto.endpoint, clusterName);
    kube = KubeClient.fromEnvironment();
    namespace = await createTestNamespace(kube, 'e2e-ice');
    nodeClaims = new ResourceClient(kube, KarpenterResources.nodeClaims as Resource<NodeClaim>);
    await new ResourceClient(kube, KarpenterResources.ec2NodeClasses).create(ec2NodeClass(poolName, clusterName, aws));
    await new ResourceClient(kube, KarpenterResources.nodePools as Resource<NodePool>).create(
      nodePool(poolName, poolName, [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: candidates }]),
    );
    cluster = new KubeletAndScheduler(kube, ec2Client(moto.endpoint), clusterName, namespace);
    cluster.start();
    op = await startOperator({ clusterName, motoEndpoint: moto.endpoint, ec2Endpoint });
  });

  afterAll(async () => {
    await op?.stop();
    await cluster?.stop();
    for (const claim of (await nodeClaims.list()).items.filter((c) => c.metadata.labels?.['karpenter.sh/nodepool'] === poolName)) {
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

  const launchedType = async (podName: string) => {
    const uid = (await new ResourceClient(kube, Resources.pods).get(podName, namespace))!.metadata!.uid!;
    const name = await waitFor(`a NodeClaim for ${podName}`, () => op.operator.provisioner.nominations.nodeClaimOf(uid), 30_000);
    const claim = await waitFor(`${name} to launch`, async () => {
      const current = await nodeClaims.get(name);
      return current?.status?.conditions?.some((c) => c.type === 'Launched' && c.status === 'True') ? current : undefined;
    }, 60_000);
    return { claim, instanceType: claim.metadata.labels?.['node.kubernetes.io/instance-type'] };
  };

  it('falls back to another offering when the cheapest one has no capacity', { timeout: 120_000 }, async () => {
    await waitFor('the NodePool to be Ready', async () => op.operator.state.nodePools.get(poolName)?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'), 60_000);
    proxy.faults = [{ code: 'InsufficientInstanceCapacity', instanceType: 'c5.large' }];
    await new ResourceClient(kube, Resources.pods).create(pod('first-0', namespace, poolName, { cpu: '500m', memory: '1Gi' }));
    const { claim, instanceType } = await launchedType('first-0');

    const offered = claim.spec.requirements.find((r) => r.key === 'node.kubernetes.io/instance-type')?.values ?? [];
    expect(offered[0]).toBe('c5.large'); // the cheapest was the first choice
    expect(proxy.fleets[0].overrides.map((o) => o.instanceType)).toContain('c5.large');
    expect(instanceType).toBeDefined();
    expect(instanceType).not.toBe('c5.large');
    expect(candidates).toContain(instanceType);
    const instance = (await cluster.instances()).find((i) => claim.status!.providerID!.endsWith(i.InstanceId!));
    expect(instance?.InstanceType).toBe(instanceType);
  });

  it('does not ask for the exhausted offering again while it is marked unavailable', { timeout: 120_000 }, async () => {
    const before = proxy.fleets.length;
    await new ResourceClient(kube, Resources.pods).create(pod('second-0', namespace, poolName, { cpu: '1500m', memory: '3Gi' }));
    const { instanceType } = await launchedType('second-0');
    expect(instanceType).not.toBe('c5.large');
    const later = proxy.fleets.slice(before);
    expect(later.length).toBeGreaterThan(0);
    expect(later.flatMap((f) => f.overrides.map((o) => o.instanceType))).not.toContain('c5.large');
  });

  it('deletes a NodeClaim none of whose offerings has capacity, and says so', { timeout: 120_000 }, async () => {
    proxy.faults = [{ code: 'InsufficientInstanceCapacity' }]; // everything
    const before = (await nodeClaims.list()).items.filter((c) => c.metadata.labels?.['karpenter.sh/nodepool'] === poolName).map((c) => c.metadata.name);
    await new ResourceClient(kube, Resources.pods).create(pod('third-0', namespace, poolName, { cpu: '500m', memory: '1Gi' }));
    const uid = (await new ResourceClient(kube, Resources.pods).get('third-0', namespace))!.metadata!.uid!;
    const first = await waitFor('a NodeClaim for third-0', () => op.operator.provisioner.nominations.nodeClaimOf(uid), 30_000);
    await waitFor(`${first} to be deleted`, async () => !(await nodeClaims.get(first)), 60_000);
    expect(before).not.toContain(first);
    const decisions = await op.ledger.listDecisions({ nodeClaim: first });
    expect(decisions.map((d) => `${d.action}/${d.reason}`)).toContain('delete/InsufficientCapacity');
    expect(op.logs.some((l) => l.msg === 'deleting nodeclaim' && l.nodeclaim === first && l.reason === 'InsufficientCapacity')).toBe(true);
    proxy.faults = [];
  });
});
