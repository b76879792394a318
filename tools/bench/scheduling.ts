// Scheduling benchmark: `npm run bench:scheduling -- --pods 5000 [--json] [--seed 42]`.
import { lowerBoundPricePerHour, schedule } from '@karpenter-ts/solver';
import { benchInput } from './scheduling-input.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const pods = option('pods', 5000);
const seed = option('seed', 42);
const json = process.argv.includes('--json');
const input = benchInput(pods, seed);

globalThis.gc?.();
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const result = schedule(input);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);
// CPU time of this process: on a shared machine it shows the cost when wall time is inflated by others.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const heapMB = process.memoryUsage().heapUsed / 2 ** 20;

const scheduled = result.nodeClaims.reduce((n, c) => n + c.pods.length, 0) + result.existingPlacements.reduce((n, p) => n + p.pods.length, 0);
const pricePerHour = result.nodeClaims.reduce((sum, c) => sum + c.price, 0);
const figures = {
  pods,
  scheduled,
  nodeClaims: result.nodeClaims.length,
  seconds: Number(seconds.toFixed(3)),
  podsPerSecond: Math.round(pods / seconds),
  heapMB: Math.round(heapMB),
  pricePerHour: Number(pricePerHour.toFixed(2)),
  lowerBoundPricePerHour: Number(lowerBoundPricePerHour(input).toFixed(2)),
};
if (json) console.log(JSON.stringify(figures));
else {
  for (const [key, value] of Object.entries({ ...figures, cpuSeconds: Number(cpuSeconds.toFixed(3)) })) console.log(`${key.padEnd(24)} ${value}`);
  if (result.unschedulable.length) console.log('first unschedulable:', JSON.stringify(result.unschedulable[0]));
}
if (scheduled !== pods) process.exitCode = 1;
