import { randomBytes } from 'node:crypto';
import type { NodeClaim, NodePool } from '@karpenter-ts/api';
import { KarpenterResources, KubeClient, ResourceClient, Resources, type Resource } from '@karpenter-ts/kube';
import type { CoreV1Event } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { prepareAccount, type AwsFixture, ec2Client } from './aws-fixtures.js';
import { KubeletAndScheduler } from './kubelet-and-scheduler.js';
import { ec2NodeClass, nodePool, pod } from './objects.js';
import { startOperator, type OperatorUnderTest } from './operator-under-test.js';
import { startPrivateMoto, type PrivateMoto } from './private-moto.js';
import { createTestNamespace, deleteTestNamespace, waitFor } from './wait.js';

const shapes = [
  { cpu: '100m', memory: '128Mi' },
  { cpu: '250m', memory: '512Mi' },
  { cpu: '500m', memory: '1Gi' },
  { cpu: '1', memory: '2Gi' },
  { cpu: '2', memory: '4Gi' },
];

describe('provisioning end to end (real kube-apiserver + moto)', () => {
  const suffix = randomBytes(3).toString('hex');
  const clusterName = `e2e-prov-${suffix}`;
  const poolName = `general-${suffix}`;
  let moto: PrivateMoto;
  let aws: AwsFixture;
  let kube: KubeClient;
  let namespace: string;
  let cluster: KubeletAndScheduler;
  let op: OperatorUnderTest;
  let nodeClaims: ResourceClient<NodeClaim>;

  const myClaims = async () => (await nodeClaims.list()).items.filter((c) => c.metadata.labels?.['karpenter.sh/nodepool'] === poolName);
  const podClient = () => new ResourceClient(kube, Resources.pods);
  const eventsAbout = async (podName: string) =>
    (await new ResourceClient<CoreV1Event>(kube, Resources.events).list({ namespace, fieldSelector: `involvedObject.name=${podName}` })).items;

  beforeAll(async () => {
    moto = await startPrivateMoto();
    aws = await prepareAccount(moto.endpoint, clusterName);
    kube = KubeClient.fromEnvironment();
    namespace = await createTestNamespace(kube, 'e2e-prov');
    nodeClaims = new ResourceClient(kube, KarpenterResources.nodeClaims as Resource<NodeClaim>);
    await new ResourceClient(kube, KarpenterResources.ec2NodeClasses).create(ec2NodeClass(poolName, clusterName, aws));
    // At most 16 vCPUs per node, so the 50 pods need several NodeClaims.
    await new ResourceClient(kube, KarpenterResources.nodePools as Resource<NodePool>).create(nodePool(poolName, poolName, [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lt', values: ['17'] }]));
    cluster = new KubeletAndScheduler(kube, ec2Client(moto.endpoint), clusterName, namespace);
    cluster.start();
    op = await startOperator({ clusterName, motoEndpoint: moto.endpoint });
  });

  afterAll(async () => {
    await op?.stop();
    await cluster?.stop();
    const mine = (await nodeClaims.list()).items.filter((c) => c.metadata.labels?.['karpenter.sh/nodepool'] === poolName);
    for (const claim of mine) await nodeClaims.patch(claim.metadata.name!, undefined, { metadata: { finalizers: null } }).catch(() => undefined);
    for (const claim of mine) await nodeClaims.delete(claim.metadata.name!);
    await new ResourceClient(kube, KarpenterResources.nodePools).delete(poolName);
    await new ResourceClient(kube, KarpenterResources.ec2NodeClasses).patch(poolName, undefined, { metadata: { finalizers: null } }).catch(() => undefined);
    await new ResourceClient(kube, KarpenterResources.ec2NodeClasses).delete(poolName);
    await deleteTestNamespace(kube, namespace);
    await moto?.stop();
    kube?.close();
  });

  it('turns 50 pending pods of mixed shapes into initialized nodes', { timeout: 180_000 }, async () => {
    await waitFor('the NodePool to be Ready', async () => {
      const pool = op.operator.state.nodePools.get(poolName);
      return pool?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    }, 60_000);

    const pods = new ResourceClient(kube, Resources.pods);
    await Promise.all(Array.from({ length: 50 }, (_, i) => pods.create(pod(`web-${i}`, namespace, poolName, shapes[i % shapes.length]))));

    const events = new ResourceClient<CoreV1Event>(kube, Resources.events);
    const nominated = await waitFor('a Nominated event per pod', async () => {
      const list = (await events.list({ namespace, fieldSelector: 'reason=Nominated' })).items;
      return new Set(list.map((e) => e.involvedObject.name)).size === 50 ? list : undefined;
    }, 60_000);
    const claims = await myClaims();
    const claimNames = new Set(claims.map((c) => c.metadata.name));
    for (const event of nominated) expect(claimNames.has(event.message!.replace('Pod should schedule on: nodeclaim/', ''))).toBe(true);
    expect(claims.length).toBeGreaterThan(2);
    for (const claim of claims) {
      expect(claim.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'NodePool', name: poolName });
      expect(claim.metadata.labels?.team).toBe('e2e');
      const types = claim.spec.requirements.find((r) => r.key === 'node.kubernetes.io/instance-type');
      expect(types?.operator).toBe('In');
      expect(types?.values?.length).toBeGreaterThan(0);
      expect(claim.spec.resources?.requests?.cpu).toBeDefined();
    }

    const initialized = await waitFor('every NodeClaim to be Initialized', async () => {
      const list = (await nodeClaims.list()).items.filter((c) => c.metadata.labels?.['karpenter.sh/nodepool'] === poolName);
      return list.length >= claims.length && list.every((c) => c.status?.conditions?.some((x) => x.type === 'Initialized' && x.status === 'True')) ? list : undefined;
    }, 120_000);

    const instances = (await cluster.instances()).filter((i) => i.State?.Name === 'running');
    expect(instances).toHaveLength(initialized.length);
    for (const claim of initialized) {
      const id = claim.status!.providerID!.split('/').pop();
      const instance = instances.find((i) => i.InstanceId === id)!;
      expect(instance).toBeDefined();
      const tags = Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key, t.Value]));
      expect(tags).toMatchObject({
        'karpenter.sh/nodepool': poolName,
        'karpenter.sh/nodeclaim': claim.metadata.name,
        'karpenter.k8s.aws/ec2nodeclass': poolName,
        [`kubernetes.io/cluster/${clusterName}`]: 'owned',
        'eks:eks-cluster-name': clusterName,
      });
      expect(claim.spec.requirements.find((r) => r.key === 'node.kubernetes.io/instance-type')?.values).toContain(instance.InstanceType);
      const node = op.operator.state.nodeByProviderID(claim.status!.providerID!)!;
      expect(node.metadata?.labels).toMatchObject({ 'karpenter.sh/initialized': 'true', 'karpenter.sh/registered': 'true', 'karpenter.sh/nodepool': poolName, team: 'e2e' });
      expect(node.spec?.taints ?? []).not.toContainEqual(expect.objectContaining({ key: 'karpenter.sh/unregistered' }));
      expect(claim.status?.nodeName).toBe(node.metadata?.name);
    }

    // kube-scheduler (played by the helper) binds each pod to the Node of the NodeClaim it was nominated to.
    const bound = await waitFor('every pod to be bound', async () => {
      const list = (await podClient().list({ namespace })).items.filter((p) => p.metadata?.name?.startsWith('web-'));
      return list.every((p) => p.spec?.nodeName) ? list : undefined;
    }, 30_000);
    const nodeOfClaim = new Map(initialized.map((c) => [c.metadata.name, c.status?.nodeName]));
    for (const p of bound) {
      const event = nominated.find((e) => e.involvedObject.name === p.metadata?.name)!;
      expect(p.spec?.nodeName).toBe(nodeOfClaim.get(event.message!.replace('Pod should schedule on: nodeclaim/', '')));
    }

    const decisions = await op.ledger.listDecisions({ limit: 500 });
    expect(decisions.filter((d) => d.action === 'create' && d.nodePool === poolName)).toHaveLength(initialized.length);
    expect(decisions.filter((d) => d.action === 'launch' && d.nodePool === poolName)).toHaveLength(initialized.length);

    const metrics = await (await fetch(`http://127.0.0.1:${op.ports.metrics}/metrics`)).text();
    expect(metrics).toContain(`karpenter_nodeclaims_created_total{reason="provisioning",nodepool="${poolName}",min_values_relaxed="false"} ${initialized.length}`);
    expect(metrics).toMatch(/karpenter_cloudprovider_duration_seconds_count\{method="Create",provider="aws"\} \d+/);
    expect((await fetch(`http://127.0.0.1:${op.ports.health}/readyz`)).status).toBe(200);
  });

  it('explains a pod no NodePool can fit, per NodePool, and launches nothing for it', { timeout: 60_000 }, async () => {
    const before = (await myClaims()).length;
    await podClient().create(pod('huge-0', namespace, poolName, { cpu: '64', memory: '1Ti' }));
    const event = await waitFor('a FailedScheduling event', async () => (await eventsAbout('huge-0')).find((e) => e.reason === 'FailedScheduling'));
    expect(event.type).toBe('Warning');
    expect(event.message).toContain(poolName);
    await new Promise((r) => setTimeout(r, 2500)); // another batch window: still nothing launched for it
    expect((await myClaims()).length).toBe(before);
    expect(op.operator.provisioner.nominations.nodeClaimOf((await podClient().get('huge-0', namespace))!.metadata!.uid!)).toBeUndefined();
    await podClient().delete('huge-0', namespace, { gracePeriodSeconds: 0 });
  });

  it('cleans up a NodeClaim whose instance was terminated behind its back', { timeout: 90_000 }, async () => {
    const [victim] = await myClaims();
    const instanceId = victim.status!.providerID!.split('/').pop()!;
    await ec2Client(moto.endpoint).send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    op.clock.offsetMs += 60_000; // past the settle time of a fresh launch
    const report = await op.operator.garbageCollection.collect();
    expect(report.deletedNodeClaims).toEqual([victim.metadata.name]);
    await waitFor('the NodeClaim to be gone', async () => !(await nodeClaims.get(victim.metadata.name!)));
    await waitFor('its Node to be gone', () => !op.operator.state.nodeByProviderID(victim.status!.providerID!));
    const decisions = await op.ledger.listDecisions({ nodeClaim: victim.metadata.name });
    expect(decisions.map((d) => `${d.action}/${d.reason}`)).toContain('delete/InstanceGone');
  });

  it('terminates an instance of the cluster that no NodeClaim accounts for', { timeout: 60_000 }, async () => {
    const [claim] = await myClaims();
    // Forget the NodeClaim without running its finalizer: its instance is now leaked.
    await nodeClaims.patch(claim.metadata.name!, undefined, { metadata: { finalizers: null } });
    await nodeClaims.delete(claim.metadata.name!);
    await waitFor('the cache to drop it', () => !op.operator.state.nodeClaims.get(claim.metadata.name!));
    op.clock.offsetMs += 60_000;
    const report = await op.operator.garbageCollection.collect();
    expect(report.terminatedInstances).toEqual([claim.status!.providerID]);
    const instance = (await cluster.instances()).find((i) => claim.status!.providerID!.endsWith(i.InstanceId!));
    expect(instance?.State?.Name).toMatch(/shutting-down|terminated/);
  });

  it('deletes a NodeClaim whose Node never registers, after the registration timeout', { timeout: 90_000 }, async () => {
    cluster.registering = false;
    const next = await podClient().create(pod('lonely-0', namespace, poolName, { cpu: '3', memory: '1Gi' }));
    const claim = await waitFor('a NodeClaim for the pod', async () => {
      const name = op.operator.provisioner.nominations.nodeClaimOf(next.metadata!.uid!);
      return name ? await nodeClaims.get(name) : undefined;
    });
    const launched = await waitFor('the launch', async () => {
      const current = await nodeClaims.get(claim.metadata.name!);
      return current?.status?.providerID ? current : undefined;
    });
    const instanceId = launched.status!.providerID!.split('/').pop()!;
    op.clock.offsetMs += 16 * 60_000;
    // Any change to the NodeClaim makes the lifecycle look at it now instead of at its 15-minute requeue.
    await nodeClaims.patch(claim.metadata.name!, undefined, { metadata: { annotations: { 'e2e/poke': 'registration-timeout' } } });
    await waitFor('the NodeClaim to be deleted', async () => !(await nodeClaims.get(claim.metadata.name!)), 30_000);
    const instance = (await cluster.instances()).find((i) => i.InstanceId === instanceId);
    expect(instance?.State?.Name).toMatch(/shutting-down|terminated/);
    const events = (await new ResourceClient<CoreV1Event>(kube, Resources.events).list({ namespace: 'default', fieldSelector: `involvedObject.name=${claim.metadata.name}` })).items;
    expect(events.map((e) => e.reason)).toContain('RegistrationTimeout');
    cluster.registering = true;
  });
});
