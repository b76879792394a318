// The controller runs the provisioning scenario end to end (real kube-apiserver + moto) with
// nothing but a token of the chart's ServiceAccount: proof that the chart's RBAC is sufficient.
// (chart.int.test.ts shows the same token is refused what the controller must not do.)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeClaim, NodePool } from '@karpenter-ts/api';
import { KarpenterResources, KubeClient, ResourceClient, Resources, resource, type KubeObject, type Lease, type Resource } from '@karpenter-ts/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ec2Client, prepareAccount, region } from '../../apps/controller/test/e2e/aws-fixtures.js';
import { KubeletAndScheduler } from '../../apps/controller/test/e2e/kubelet-and-scheduler.js';
import { ec2NodeClass, nodePool, pod } from '../../apps/controller/test/e2e/objects.js';
import { startOperator, type OperatorUnderTest } from '../../apps/controller/test/e2e/operator-under-test.js';
import { startPrivateMoto, type PrivateMoto } from '../../apps/controller/test/e2e/private-moto.js';
import { createTestNamespace, deleteTestNamespace, waitFor } from '../../apps/controller/test/e2e/wait.js';
import { controllerChart, findHelm, helm, helmMissing } from './helm.js';
import { serviceAccountToken, writeKubeconfigWithToken } from './service-account.js';

const kubeconfig = process.env.KUBECONFIG;
const ready = findHelm() !== undefined && kubeconfig !== undefined;
if (!ready) console.warn(`\n!!! controller-with-chart-RBAC test SKIPPED: ${kubeconfig ? helmMissing : 'no KUBECONFIG (the tools/testenv global setup exports it)'}\n`);

const namespaces = resource<KubeObject>('', 'v1', 'namespaces', 'Namespace', false);

describe.skipIf(!ready)("the controller with only the chart's ServiceAccount", () => {
  const suffix = randomBytes(3).toString('hex');
  const release = `kts-rbac-${suffix}`;
  const releaseNamespace = release;
  const clusterName = `rbac-${suffix}`;
  const poolName = `rbac-${suffix}`;
  const scratch = mkdtempSync(join(tmpdir(), 'karpenter-ts-rbac-'));
  let admin: KubeClient;
  let moto: PrivateMoto;
  let podNamespace: string;
  let cluster: KubeletAndScheduler;
  let op: OperatorUnderTest;
  let nodeClaims: ResourceClient<NodeClaim>;

  beforeAll(async () => {
    admin = KubeClient.fromEnvironment(kubeconfig);
    nodeClaims = new ResourceClient(admin, KarpenterResources.nodeClaims as Resource<NodeClaim>);
    await new ResourceClient(admin, namespaces).create({ metadata: { name: releaseNamespace } });
    const installed = await helm(['install', release, controllerChart, '--namespace', releaseNamespace, '--set', `settings.clusterName=${clusterName}`, '--set', `settings.awsRegion=${region}`]);
    expect(installed.ok, installed.stderr).toBe(true);
    const controllerKubeconfig = join(scratch, 'controller.kubeconfig');
    writeKubeconfigWithToken(admin, await serviceAccountToken(admin, releaseNamespace, release), controllerKubeconfig);

    moto = await startPrivateMoto();
    const aws = await prepareAccount(moto.endpoint, clusterName);
    podNamespace = await createTestNamespace(admin, 'kts-rbac');
    await new ResourceClient(admin, KarpenterResources.ec2NodeClasses).create(ec2NodeClass(poolName, clusterName, aws));
    await new ResourceClient(admin, KarpenterResources.nodePools as Resource<NodePool>).create(nodePool(poolName, poolName));
    cluster = new KubeletAndScheduler(admin, ec2Client(moto.endpoint), clusterName, podNamespace);
    cluster.start();

    // The operator takes its credentials from KUBECONFIG when it starts: hand it the ServiceAccount's.
    process.env.KUBECONFIG = controllerKubeconfig;
    try {
      op = await startOperator({
        clusterName,
        motoEndpoint: moto.endpoint,
        env: { LEADER_ELECT: 'true', POD_NAMESPACE: releaseNamespace, LEADER_ELECTION_NAME: `${release}-leader-election`, POD_NAME: `${release}-0` },
      });
    } finally {
      process.env.KUBECONFIG = kubeconfig;
    }
  }, 180_000);

  afterAll(async () => {
    await op?.stop();
    await cluster?.stop();
    const mine = (await nodeClaims.list()).items.filter((c) => c.metadata.labels?.['karpenter.sh/nodepool'] === poolName);
    for (const claim of mine) await nodeClaims.patch(claim.metadata.name!, undefined, { metadata: { finalizers: null } }).catch(() => undefined);
    for (const claim of mine) await nodeClaims.delete(claim.metadata.name!);
    // Nodes are named after the instances' private IPs, which another suite's moto hands out again.
    const nodes = new ResourceClient(admin, Resources.nodes);
    for (const node of (await nodes.list()).items.filter((n) => n.metadata?.labels?.['karpenter.sh/nodepool'] === poolName)) await nodes.delete(node.metadata!.name!);
    await new ResourceClient(admin, KarpenterResources.nodePools).delete(poolName);
    await new ResourceClient(admin, KarpenterResources.ec2NodeClasses).patch(poolName, undefined, { metadata: { finalizers: null } }).catch(() => undefined);
    await new ResourceClient(admin, KarpenterResources.ec2NodeClasses).delete(poolName);
    await helm(['uninstall', release, '--namespace', releaseNamespace]);
    if (podNamespace) {
      // No kubelet confirms pod deletion here: force it, or the pods outlive the test and keep the next controller busy.
      const pods = new ResourceClient(admin, Resources.pods);
      for (const p of (await pods.list({ namespace: podNamespace })).items) await pods.delete(p.metadata!.name!, podNamespace, { gracePeriodSeconds: 0 });
      await deleteTestNamespace(admin, podNamespace);
    }
    await deleteTestNamespace(admin, releaseNamespace);
    await moto?.stop();
    admin?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('leads, provisions pending pods into initialized nodes and cleans up a deleted NodeClaim, never refused', { timeout: 240_000 }, async () => {
    const lease = await waitFor('the leader-election Lease', async () =>
      new ResourceClient<Lease>(admin, Resources.leases).get(`${release}-leader-election`, releaseNamespace),
    );
    expect(lease.spec?.holderIdentity).toBe(`${release}-0`);

    await waitFor('the NodePool to be Ready', () =>
      op.operator.state.nodePools.get(poolName)?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
    60_000);

    const pods = new ResourceClient(admin, Resources.pods);
    const shapes = [{ cpu: '250m', memory: '512Mi' }, { cpu: '1', memory: '2Gi' }, { cpu: '2', memory: '4Gi' }];
    await Promise.all(shapes.map((shape, i) => pods.create(pod(`rbac-${i}`, podNamespace, poolName, shape))));

    const initialized = await waitFor('NodeClaims for the pods, Initialized', async () => {
      const list = (await nodeClaims.list()).items.filter((c) => c.metadata.labels?.['karpenter.sh/nodepool'] === poolName);
      const nominated = list.reduce((n, c) => n + op.operator.provisioner.nominations.podsOf(c.metadata.name!).length, 0);
      const done = list.length > 0 && list.every((c) => c.status?.conditions?.some((x) => x.type === 'Initialized' && x.status === 'True'));
      return nominated === shapes.length && done ? list : undefined;
    }, 120_000);

    const events = await new ResourceClient(admin, Resources.events).list({ namespace: podNamespace, fieldSelector: 'reason=Nominated' });
    expect(events.items.length).toBeGreaterThanOrEqual(shapes.length);

    // Deleting a NodeClaim: the controller terminates the instance, deletes the Node and lifts its finalizer.
    const victim = initialized[0];
    const providerID = victim.status!.providerID!;
    await nodeClaims.delete(victim.metadata.name!);
    await waitFor('the deleted NodeClaim to be gone', async () => (await nodeClaims.get(victim.metadata.name!)) === undefined, 60_000);
    const instanceId = providerID.split('/').pop();
    const instance = (await cluster.instances()).find((i) => i.InstanceId === instanceId);
    expect(['shutting-down', 'terminated']).toContain(instance?.State?.Name);

    // An RBAC refusal reads `… is forbidden: User "system:serviceaccount:…" cannot <verb> resource …`.
    const refusals = op.logs.filter((line) => /is forbidden: User \\?"system:serviceaccount:[^"\\]+\\?" cannot/.test(JSON.stringify(line)));
    expect(refusals).toEqual([]);
  });
});
