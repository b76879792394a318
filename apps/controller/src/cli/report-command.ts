import { stringify } from 'yaml';
import { describeLedgerLocation, openLedger, type PlanRun, type PlanRunOverview } from '../ledger/index.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { ledgerLocation } from './ledger-option.js';
import { alignColumns, unschedulableLines, type OutputFormat } from './plan-output.js';

export interface ReportCommandOptions {
  readonly run?: string;
  readonly limit: number;
  readonly output: OutputFormat;
  readonly db?: string;
}

/** `karpenter-ts report [RUN]`: recent plan runs, or one run in full. */
export async function runReportCommand(options: ReportCommandOptions, io: CliIo): Promise<number> {
  const location = ledgerLocation(options.db, io.env);
  const ledger = await openLedger(location);
  try {
    if (options.run === undefined) {
      const runs = await ledger.listRuns(options.limit);
      io.stdout.write(format(runs, options.output, () => runsTable(runs, describeLedgerLocation(location))));
      return 0;
    }
    const id = Number(options.run);
    if (!Number.isInteger(id) || id <= 0) throw new CliError(`report: "${options.run}" is not a run id (a positive integer, see \`karpenter-ts report\`)`);
    const run = await ledger.getRun(id);
    if (!run) throw new CliError(`report: no run ${id} in ${describeLedgerLocation(location)}`);
    io.stdout.write(format(run, options.output, () => runDetail(run)));
    return 0;
  } finally {
    await ledger.close();
  }
}

function format(value: unknown, output: OutputFormat, table: () => string): string {
  if (output === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  if (output === 'yaml') return stringify(value);
  return table();
}

function runsTable(runs: readonly PlanRunOverview[], location: string): string {
  if (runs.length === 0) return `No runs recorded in ${location} yet: run \`karpenter-ts plan\` first.\n`;
  const rows = [
    ['RUN', 'WHEN (UTC)', 'SOURCE', 'REGION', 'PODS', 'NODECLAIMS', 'UNSCHEDULABLE', 'PRICE/H', 'LOWER BOUND/H', 'INPUT'],
    ...runs.map((r) => [
      String(r.id),
      r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ''),
      r.source,
      r.region,
      String(r.podCount),
      String(r.nodeClaimCount),
      String(r.unschedulableCount),
      `$${r.totalPricePerHour.toFixed(4)}`,
      `$${r.lowerBoundPricePerHour.toFixed(4)}`,
      r.inputDigest.slice(0, 12),
    ]),
  ];
  return `${alignColumns(rows).join('\n')}\n`;
}

function runDetail(run: PlanRun): string {
  const { summary } = run;
  const lines = [
    `Run ${run.id} at ${run.createdAt} (${run.source}, ${run.region}, input ${run.inputDigest.slice(0, 12)}): ${run.podCount} pods`,
    '',
  ];
  for (const claim of summary.nodeClaims) {
    const zone = claim.zones.length === 1 ? claim.zones[0] : `any of ${claim.zones.length} zones`;
    lines.push(
      `  ${claim.nodePool}: ${claim.instanceTypes[0]}${claim.instanceTypes.length > 1 ? ` (+${claim.instanceTypes.length - 1})` : ''} ${claim.capacityType} ${zone}, ` +
        `cpu ${claim.requests.cpu}, memory ${claim.requests.memory}, ${claim.pods.length} pods, $${claim.pricePerHour.toFixed(4)}/h`,
    );
  }
  const ratio = summary.lowerBoundPricePerHour > 0 ? (summary.totalPricePerHour / summary.lowerBoundPricePerHour).toFixed(2) : '-';
  lines.push(
    '',
    `Total: ${summary.nodeClaims.length} NodeClaims, $${summary.totalPricePerHour.toFixed(4)}/hour; lower bound $${summary.lowerBoundPricePerHour.toFixed(4)}/hour; ratio ${ratio}`,
  );
  if (summary.unschedulable.length > 0) {
    lines.push('', `Unschedulable pods (${summary.unschedulable.length}):`, ...unschedulableLines(summary));
  }
  return `${lines.join('\n')}\n`;
}
