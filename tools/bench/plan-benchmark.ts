// Benchmark: `karpenter-ts plan` on 5,000 pods against the full bundled catalog.
// Run: npm run bench:plan. Prints the in-process phases (median of 3 runs) and the end-to-end
// time of the CLI, startup included.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plan } from '../../apps/controller/src/cli/plan.js';
import { sortManifests } from '../../apps/controller/src/manifests/cluster-manifests.js';
import { readManifests } from '../../apps/controller/src/manifests/read-manifests.js';
import { benchmarkManifests } from './plan-workload.js';

const pods = Number(process.env.BENCH_PODS ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'karpenter-ts-bench-'));
const input = join(dir, 'cluster.yaml');
writeFileSync(input, benchmarkManifests(pods));

// Wall time and this process's CPU time: on a shared machine the CPU time shows the work done,
// the wall time also the waiting for a core.
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function measure() {
  const [t0, c0] = [performance.now(), cpuMs()];
  const manifests = sortManifests(readManifests([input]));
  const [t1, c1] = [performance.now(), cpuMs()];
  const result = plan(manifests, { region: 'us-east-1' });
  const [t2, c2] = [performance.now(), cpuMs()];
  return { read: t1 - t0, plan: t2 - t1, total: t2 - t0, cpuRead: c1 - c0, cpuPlan: c2 - c1, cpuTotal: c2 - c0, result };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const runs = [measure(), measure(), measure()];
const { result } = runs[0];
const { summary } = result;
const placed = summary.nodeClaims.reduce((sum, c) => sum + c.pods.length, 0);
console.log(`plan benchmark: ${result.podCount} pods, ${result.instanceTypeCount} instance types (us-east-1), 2 NodePools, 4 DaemonSets`);
const figure = (wall: (r: (typeof runs)[number]) => number, cpu: (r: (typeof runs)[number]) => number) =>
  `${median(runs.map(wall)).toFixed(0)} ms wall, ${median(runs.map(cpu)).toFixed(0)} ms CPU`;
console.log(`  read + expand manifests  ${figure((r) => r.read, (r) => r.cpuRead)}`);
console.log(`  instance types + solve   ${figure((r) => r.plan, (r) => r.cpuPlan)}`);
console.log(`  in-process total         ${figure((r) => r.total, (r) => r.cpuTotal)} (median of 3)`);
console.log(`  machine load average     ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
console.log(
  `  result: ${summary.nodeClaims.length} NodeClaims, ${placed} pods placed, ${summary.unschedulable.length} unschedulable, ` +
    `$${summary.totalPricePerHour.toFixed(2)}/h vs lower bound $${summary.lowerBoundPricePerHour.toFixed(2)}/h (ratio ${(summary.totalPricePerHour / summary.lowerBoundPricePerHour).toFixed(2)})`,
);

const bin = fileURLToPath(new URL('../../apps/controller/bin/karpenter-ts.js', import.meta.url));
const t0 = performance.now();
const cli = spawnSync(process.execPath, [bin, 'plan', '-f', input, '--no-ledger', '-o', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const cliMs = performance.now() - t0;
if (cli.status !== 0) throw new Error(`karpenter-ts plan failed: ${cli.stderr}`);
console.log(`  CLI end to end           ${cliMs.toFixed(0)} ms (node startup, TypeScript loading and output included)`);
rmSync(dir, { recursive: true, force: true });
