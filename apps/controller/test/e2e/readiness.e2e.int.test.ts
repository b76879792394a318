import { randomBytes } from 'node:crypto';
import type { EC2NodeClass, NodeClaim, NodePool } from '@karpenter-ts/api';
import { KarpenterResources, KubeClient, ResourceClient, Resources, type Resource } from '@karpenter-ts/kube';
import type { CoreV1Event } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ec2Client, prepareAccount, type AwsFixture } from './aws-fixtures.js';
import { KubeletAndScheduler } from './kubelet-and-scheduler.js';
import { ec2NodeClass, nodePool, pod } from './objects.js';
import { startOperator, type OperatorUnderTest } from './operator-under-test.js';
import { startPrivateMoto, type PrivateMoto } from './private-moto.js';
import { createTestNamespace, deleteTestNamespace, waitFor } from './wait.js';

describe('NodePool and EC2NodeClass readiness end to end', () => {
  const suffix = randomBytes(3).toString('hex');
  const clusterName = `e2e-ready-${suffix}`;
  const noSubnets = `no-subnets-${suffix}`;
  const orphanPool = `orphan-${suffix}`;
  let moto: PrivateMoto;
  let aws: AwsFixture;
  let kube: KubeClient;
  let namespace: string;
  let cluster: KubeletAndScheduler;
  let op: OperatorUnderTest;
  let nodePools: ResourceClient<NodePool>;
  let nodeClasses: ResourceClient<EC2NodeClass>;
  let nodeClaims: ResourceClient<NodeClaim>;

  beforeAll(async () => {
    moto = await startPrivateMoto();
    aws = await prepareAccount(moto.endpoint, clusterName);
    kube = KubeClient.fromEnvironment();
    namespace = await createTestNamespace(kube, 'e2e-ready');
    nodePools = new ResourceClient(kube, KarpenterResources.nodePools as Resource<NodePool>);
    nodeClasses = new ResourceClient(kube, KarpenterResources.ec2NodeClasses as Resource<EC2NodeClass>);
    nodeClaims = new ResourceClient(kube, KarpenterResources.nodeClaims as Resource<NodeClaim>);
    // Selects subnets by a tag no subnet carries: cannot resolve.
    await nodeClasses.create(ec2NodeClass(noSubnets, clusterName, aws, { subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': `nobody-${suffix}` } }] }));
    await nodePools.create(nodePool(noSubnets, noSubnets));
    await nodePools.create(nodePool(orphanPool, `missing-${suffix}`));
    cluster = new KubeletAndScheduler(kube, ec2Client(moto.endpoint), clusterName, namespace);
    cluster.start();
    op = await startOperator({ clusterName, motoEndpoint: moto.endpoint });
  });

  afterAll(async () => {
    await op?.stop();
    await cluster?.stop();
    for (const name of [noSubnets, orphanPool]) await nodePools.delete(name);
    await nodeClasses.patch(noSubnets, undefined, { metadata: { finalizers: null } }).catch(() => undefined);
    await nodeClasses.delete(noSubnets);
    await deleteTestNamespace(kube, namespace);
    await moto?.stop();
    kube?.close();
  });

  const condition = (obj: { status?: { conditions?: { type: string; status: string; reason: string; message: string }[] } } | undefined, type: string) =>
    obj?.status?.conditions?.find((c) => c.type === type);

  it('marks an EC2NodeClass that cannot resolve its subnets not ready, and says why', { timeout: 60_000 }, async () => {
    const nodeClass = await waitFor('the EC2NodeClass status', async () => {
      const current = await nodeClasses.get(noSubnets);
      return condition(current, 'Ready') ? current : undefined;
    });
    expect(condition(nodeClass, 'Ready')?.status).toBe('False');
    expect(condition(nodeClass, 'SubnetsReady')).toMatchObject({ status: 'False', reason: 'SubnetsNotFound' });
    expect(condition(nodeClass, 'SubnetsReady')?.message).toContain(`nobody-${suffix}`);
    expect(condition(nodeClass, 'SecurityGroupsReady')?.status).toBe('True');
    expect(condition(nodeClass, 'AMIsReady')?.status).toBe('True');
  });

  it('marks NodePools over a not-ready or missing EC2NodeClass not ready, with the reason', { timeout: 60_000 }, async () => {
    const pool = await waitFor('the NodePool to see its class not ready', async () => {
      const current = await nodePools.get(noSubnets);
      return condition(current, 'NodeClassReady')?.reason === 'NodeClassNotReady' ? current : undefined;
    });
    expect(condition(pool, 'Ready')?.status).toBe('False');
    expect(condition(pool, 'NodeClassReady')?.message).toContain('SubnetsReady=False');
    const orphan = await waitFor('the orphan NodePool status', async () => {
      const current = await nodePools.get(orphanPool);
      return condition(current, 'NodeClassReady') ? current : undefined;
    });
    expect(condition(orphan, 'NodeClassReady')).toMatchObject({ status: 'False', reason: 'NodeClassNotFound' });
    expect(condition(orphan, 'NodeClassReady')?.message).toContain(`EC2NodeClass "missing-${suffix}" does not exist`);
    expect(condition(orphan, 'Ready')?.status).toBe('False');
  });

  it('does not launch for a pod that only a not-ready NodePool could take, and tells the pod why', { timeout: 60_000 }, async () => {
    await new ResourceClient(kube, Resources.pods).create(pod('stuck-0', namespace, noSubnets, { cpu: '1', memory: '1Gi' }));
    const event = await waitFor('a FailedScheduling event', async () => {
      const list = (await new ResourceClient<CoreV1Event>(kube, Resources.events).list({ namespace, fieldSelector: 'involvedObject.name=stuck-0' })).items;
      return list.find((e) => e.reason === 'FailedScheduling');
    });
    expect(event.message).toContain(`nodepool "${noSubnets}" is not ready`);
    expect(event.message).toContain(`nodepool "${orphanPool}" is not ready`);
    await new Promise((r) => setTimeout(r, 2500));
    const claims = (await nodeClaims.list()).items.filter((c) => [noSubnets, orphanPool].includes(c.metadata.labels?.['karpenter.sh/nodepool'] ?? ''));
    expect(claims).toEqual([]);
    expect(await cluster.instances()).toEqual([]);
  });

  it('starts using the EC2NodeClass once it is fixed', { timeout: 90_000 }, async () => {
    await nodeClasses.update(noSubnets, undefined, (c) => ({ ...c, spec: { ...c.spec, subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': clusterName } }] } }));
    await waitFor('the NodePool to become Ready', async () => condition(await nodePools.get(noSubnets), 'Ready')?.status === 'True', 30_000);
    const claim = await waitFor('a NodeClaim for the pod', async () => (await nodeClaims.list()).items.find((c) => c.metadata.labels?.['karpenter.sh/nodepool'] === noSubnets), 30_000);
    await waitFor('its instance', async () => (await nodeClaims.get(claim.metadata.name!))?.status?.providerID, 30_000);
    await nodeClaims.delete(claim.metadata.name!);
    await waitFor('the NodeClaim to be finalized', async () => !(await nodeClaims.get(claim.metadata.name!)), 30_000);
    expect((await cluster.instances()).every((i) => i.State?.Name !== 'running')).toBe(true);
  });
});
