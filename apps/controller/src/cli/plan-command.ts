import { readFileSync } from 'node:fs';
import { parsePriceOverrides, type PriceOverrides } from '@karpenter-ts/aws/catalog';
import { sortManifests } from '../manifests/cluster-manifests.js';
import { readManifests } from '../manifests/read-manifests.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { ledgerLocation } from './ledger-option.js';
import { planInputDigest, plan } from './plan.js';
import { formatPlan, type OutputFormat } from './plan-output.js';
import { largeInputPods, Progress } from './progress.js';

export interface PlanCommandOptions {
  readonly file: readonly string[];
  readonly region: string;
  readonly prices?: string;
  readonly output: OutputFormat;
  readonly db?: string;
  /** False with `--no-ledger`. */
  readonly ledger: boolean;
}

/** `karpenter-ts plan`: reads manifests, plans against the bundled catalog, prints and records the plan. */
export async function runPlanCommand(options: PlanCommandOptions, io: CliIo): Promise<number> {
  const progress = new Progress(io.stderr as NodeJS.WriteStream);
  const documents = readManifests(options.file, io.readStdin);
  const manifests = sortManifests(documents);
  for (const warning of manifests.warnings) io.stderr.write(`warning: ${warning}\n`);
  const large = manifests.pendingPods.length >= largeInputPods;
  if (large) progress.report(`read ${documents.length} objects, ${manifests.pendingPods.length} pods to place`);
  const planOptions = {
    region: options.region,
    prices: options.prices ? readPrices(options.prices) : undefined,
    progress: large ? (message: string) => progress.report(message) : undefined,
  };
  const result = plan(manifests, planOptions);
  progress.done(`planned ${result.podCount} pods`);
  io.stdout.write(formatPlan(result, options.output));

  if (options.ledger) {
    // Loaded only now (kysely is a large module tree), after the plan is on the screen.
    const { describeLedgerLocation, openLedger } = await import('../ledger/index.js');
    const location = ledgerLocation(options.db, io.env);
    try {
      const ledger = await openLedger(location);
      try {
        const id = await ledger.recordPlan({
          source: 'cli',
          region: options.region,
          inputDigest: planInputDigest(documents, planOptions),
          podCount: result.podCount,
          summary: result.summary,
        });
        io.stderr.write(`recorded as run ${id} in ${describeLedgerLocation(location)} (karpenter-ts report ${id}${options.db ? ` --db ${options.db}` : ''})\n`);
      } finally {
        await ledger.close();
      }
    } catch (error) {
      io.stderr.write(`warning: the plan was not recorded in the ledger ${describeLedgerLocation(location)}: ${(error as Error).message}\n`);
    }
  }
  return 0;
}

function readPrices(path: string): PriceOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`--prices ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--prices ${path}: not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parsePriceOverrides(value, `--prices ${path}`);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
