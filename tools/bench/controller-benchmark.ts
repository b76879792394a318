// Benchmark: the controller against a real kube-apiserver (and moto) with 1,000 pending pods.
// Run: npm run bench:controller. Starts its own test environment (tools/testenv), runs the
// controller as a separate process (`npm run controller`'s command), creates the pods, marks
// them unschedulable as kube-scheduler would, and measures how long after the last pod became
// pending every pod had a NodeClaim (target: the batch idle window + 5 s), and the controller's
// memory (target: RSS under 200 MB). The controller runs compiled (it builds the workspaces
// first) with the Node options of the image, as in production. Set BENCH_PODS to change the pod count. With KUBECONFIG
// and AWS_ENDPOINT_URL already set (e.g. after `eval "$(npm run -s testenv:up)"`) it uses those peers.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeClaim, NodePool } from '@karpenter-ts/api';
import { KarpenterResources, KubeClient, ResourceClient, Resources, type Resource } from '@karpenter-ts/kube';
import { prepareAccount, region } from '../../apps/controller/test/e2e/aws-fixtures.js';
import { ControllerProcess, productionNodeOptions } from '../../apps/controller/test/e2e/controller-process.js';
import { ec2NodeClass, nodePool, pod } from '../../apps/controller/test/e2e/objects.js';
import { createTestNamespace, waitFor } from '../../apps/controller/test/e2e/wait.js';
import { mapConcurrent } from '../../apps/controller/src/provisioning/map-concurrent.js';
import { startTestEnv, stopTestEnv } from '../testenv/index.js';

const podCount = Number(process.env.BENCH_PODS ?? 1000);
const batchIdleMs = 1000;
const shapes = [
  { cpu: '100m', memory: '128Mi' },
  { cpu: '250m', memory: '512Mi' },
  { cpu: '500m', memory: '1Gi' },
  { cpu: '1', memory: '2Gi' },
  { cpu: '2', memory: '4Gi' },
];

/** Retries API calls the server failed transiently (5xx, e.g. an etcd timeout on a busy machine). */
async function retried<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode ?? 0;
      if (status < 500 || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** Current and peak resident memory of a process, in MB (from /proc). */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** User + system CPU seconds a process has used (from /proc). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// The image runs compiled JavaScript: measure that, not the TypeScript loader.
for (const project of ['packages/api', 'packages/solver', 'packages/aws', 'packages/kube', 'apps/controller']) {
  spawnSync('npx', ['tsc', '-p', `${project}/tsconfig.lib.json`], { stdio: 'ignore' });
}

const dir = mkdtempSync(join(tmpdir(), 'karpenter-ts-bench-controller-'));
const reuse = process.env.KUBECONFIG && process.env.AWS_ENDPOINT_URL;
const env = reuse ? undefined : await startTestEnv({ dir, detached: false, log: () => undefined });
if (env) Object.assign(process.env, env.env);
const motoEndpoint = process.env.AWS_ENDPOINT_URL!;
let controller: ControllerProcess | undefined;
try {
  const clusterName = `bench-${Date.now().toString(36)}`;
  const aws = await prepareAccount(motoEndpoint, clusterName);
  const kube = KubeClient.fromEnvironment();
  const namespace = await createTestNamespace(kube, 'bench');
  await new ResourceClient(kube, KarpenterResources.ec2NodeClasses).create(ec2NodeClass(clusterName, clusterName, aws));
  await new ResourceClient(kube, KarpenterResources.nodePools as Resource<NodePool>).create(nodePool(clusterName, clusterName, [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lt', values: ['17'] }]));

  controller = new ControllerProcess('bench-controller', {
    CLUSTER_NAME: clusterName,
    AWS_REGION: region,
    BATCH_IDLE_DURATION: `${batchIdleMs}ms`,
    BATCH_MAX_DURATION: '10s',
    LEADER_ELECTION_NAMESPACE: namespace,
    LEDGER_PATH: join(dir, 'ledger.sqlite'),
  }, { compiled: true });
  const started = controller;
  await waitFor('the controller to lead', () => started.logged('leading: starting controllers'), 120_000);
  const nodePools = new ResourceClient(kube, KarpenterResources.nodePools as Resource<NodePool>);
  await waitFor('the NodePool to be Ready', async () => (await nodePools.get(clusterName))?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'), 60_000);
  // The provider reads the region's instance types once (then every 12 h); the provisioner starts
  // that as soon as a NodePool is ready. Measure provisioning, not this cold start.
  const leading = Date.parse(String(started.logged('leading: starting controllers')!.time));
  const refreshed = await waitFor('the instance types to load', () => started.logged('instance types refreshed'), 180_000);
  const coldStartMs = Date.parse(String(refreshed.time)) - leading;
  const idle = memoryOf(controller.pid);

  const pods = new ResourceClient(kube, Resources.pods);
  const names = Array.from({ length: podCount }, (_, i) => `bench-${i}`);
  await mapConcurrent(names, 32, (name) => retried(() => pods.create(pod(name, namespace, clusterName, shapes[Number(name.split('-')[1]) % shapes.length]))));
  // kube-scheduler's part: every pod becomes PodScheduled=False/Unschedulable.
  const markedFrom = Date.now();
  await mapConcurrent(names, 32, (name) =>
    retried(() => pods.patch(name, namespace, { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', lastTransitionTime: new Date().toISOString() }] } }, 'merge', 'status')),
  );
  const lastPending = Date.now();
  const cpuBefore = cpuSecondsOf(controller.pid);

  // A pod has its capacity once a round placed it: on a new NodeClaim or on one already coming up.
  const rounds = () => started.logs.filter((l) => l.msg === 'computed new nodeclaim(s) to fit pod(s)');
  const placedBy = (round: Record<string, unknown>) => Number(round.pods) - Number(round.unschedulable);
  await waitFor(`NodeClaims for all ${podCount} pods`, () => rounds().reduce((n, r) => n + placedBy(r), 0) >= podCount, 120_000);
  const createdLogs = started.logs.filter((l) => l.msg === 'created nodeclaim');
  const lastCreated = Math.max(...rounds().map((l) => Date.parse(String(l.time))));
  const firstCreated = Math.min(...createdLogs.map((l) => Date.parse(String(l.time))));
  const nodeClaims = (await new ResourceClient(kube, KarpenterResources.nodeClaims as Resource<NodeClaim>).list()).items.filter((c) => c.metadata.labels?.['karpenter.sh/nodepool'] === clusterName);
  // Let the launches of those NodeClaims run too, then read memory again.
  await waitFor('every NodeClaim to launch', () => started.logs.filter((l) => l.msg === 'launched nodeclaim').length >= nodeClaims.length, 180_000).catch(() => undefined);
  const loaded = memoryOf(controller.pid);
  const cpuUsed = cpuSecondsOf(controller.pid) - cpuBefore;

  const allWithinMs = lastCreated - lastPending;
  const targetMs = batchIdleMs + 5000;
  console.log(`controller benchmark: ${podCount} pending pods (5 shapes), 1 NodePool (≤ 16 vCPU per node), real kube-apiserver v1.36 + moto; controller compiled, ${productionNodeOptions.join(' ')}`);
  console.log(`  machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`  cold start: instance types and prices loaded ${(coldStartMs / 1000).toFixed(1)} s after taking the lead (before the pods were created)`);
  console.log(`  pods marked unschedulable over ${((lastPending - markedFrom) / 1000).toFixed(1)} s`);
  console.log(`  provisioning rounds: ${rounds().length} (${rounds().map((r) => `${r.pods} pods → ${r.nodeclaims} new NodeClaims + ${r.existing} onto in-flight ones`).join(', ')})`);
  console.log(`  NodeClaims created: ${nodeClaims.length}; first ${((firstCreated - lastPending) / 1000).toFixed(2)} s after the last pod became pending; every pod placed ${(allWithinMs / 1000).toFixed(2)} s after it`);
  console.log(`  target: all within batch idle (${batchIdleMs / 1000} s) + 5 s = ${targetMs / 1000} s → ${allWithinMs <= targetMs ? 'MET' : 'MISSED'}`);
  console.log(`  controller memory: idle ${idle.rssMb.toFixed(0)} MB RSS; after provisioning and launching ${loaded.rssMb.toFixed(0)} MB RSS, peak ${loaded.peakMb.toFixed(0)} MB (target < 200 MB → ${loaded.peakMb < 200 ? 'MET' : 'MISSED'})`);
  console.log(`  controller CPU from the last pending pod to all launched: ${cpuUsed.toFixed(1)} s`);

  // Leave the peers as found (there is no controller-manager to empty the namespace): the
  // controller terminates the instances of the NodeClaims it finalizes.
  await mapConcurrent(names, 32, (name) => retried(() => pods.delete(name, namespace, { gracePeriodSeconds: 0 })));
  const claims = new ResourceClient(kube, KarpenterResources.nodeClaims as Resource<NodeClaim>);
  await mapConcurrent(nodeClaims, 16, (c) => retried(() => claims.delete(c.metadata.name!)));
  await waitFor('the NodeClaims to be finalized', async () => (await claims.list()).items.every((c) => c.metadata.labels?.['karpenter.sh/nodepool'] !== clusterName), 120_000).catch(() =>
    console.log('  (some NodeClaims were not finalized in time)'),
  );
  await nodePools.delete(clusterName);
  await new ResourceClient(kube, KarpenterResources.ec2NodeClasses).delete(clusterName);
  kube.close();
} finally {
  await controller?.stop();
  if (env) await stopTestEnv(env);
  rmSync(dir, { recursive: true, force: true });
}
