import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ManifestError } from '../manifests/manifest-source.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { OutputFormat } from './plan-output.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

// Commands load their modules when they run, so `--help` does not load the catalog and solver.
function outputOption(): Option {
  return new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'yaml']).default('table');
}

/** The `karpenter-ts` command line; `run` resolves to the process exit code. */
export function createProgram(io: CliIo): { run(argv: readonly string[]): Promise<number> } {
  let exitCode = 0;
  const program = new Command('karpenter-ts')
    .description('Plan, validate and report Karpenter v1 node provisioning offline, against the bundled EC2 catalog')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('plan')
    .description('Show which NodeClaims Karpenter would launch for these pods and NodePools, at what price, and why a pod cannot be scheduled')
    .requiredOption('-f, --file <path>', 'manifest file, directory or - for stdin (repeatable): Pods, workloads, DaemonSets, Nodes, NodePools, EC2NodeClasses, PVs/PVCs', collect)
    .option('--region <region>', 'AWS region of the bundled catalog (us-east-1, us-west-2)', io.env.AWS_REGION ?? 'us-east-1')
    .option('--prices <file>', 'JSON price overrides in USD/hour: {"onDemand": {"m5.large": 0.096}, "spot": {"m5.large": 0.035}} (default: bundled on-demand prices, estimated spot)')
    .addOption(outputOption())
    .option('--db <path>', 'SQLite ledger file (default: $DATABASE_URL if set, else $XDG_STATE_HOME/karpenter-ts/ledger.sqlite)')
    .option('--no-ledger', 'do not record the run in the ledger')
    .action(async (options: { file: string[]; region: string; prices?: string; output: OutputFormat; db?: string; ledger: boolean }) => {
      const { runPlanCommand } = await import('./plan-command.js');
      exitCode = await runPlanCommand(options, io);
    });

  program
    .command('validate')
    .description('Check NodePools and EC2NodeClasses as the API server would; print every problem, exit 1 if any')
    .requiredOption('-f, --file <path>', 'manifest file, directory or - for stdin (repeatable)', collect)
    .action(async (options: { file: string[] }) => {
      const { runValidateCommand } = await import('./validate-command.js');
      exitCode = runValidateCommand(options.file, io);
    });

  program
    .command('report')
    .description('List recent plan runs from the ledger, or show one')
    .argument('[run]', 'run id to show')
    .option('-n, --limit <count>', 'how many runs to list', positiveInteger, 20)
    .addOption(outputOption())
    .option('--db <path>', 'SQLite ledger file (default: $DATABASE_URL if set, else $XDG_STATE_HOME/karpenter-ts/ledger.sqlite)')
    .action(async (run: string | undefined, options: { limit: number; output: OutputFormat; db?: string }) => {
      const { runReportCommand } = await import('./report-command.js');
      exitCode = await runReportCommand({ run, ...options }, io);
    });

  return {
    async run(argv) {
      try {
        await program.parseAsync(argv, { from: 'user' });
        return exitCode;
      } catch (error) {
        if (error instanceof CommanderError) return error.exitCode;
        if (error instanceof CliError || error instanceof ManifestError) {
          io.stderr.write(`error: ${error.message}\n`);
          return 1;
        }
        io.stderr.write(`error: ${(error as Error).message ?? String(error)}\n`);
        if (io.env.KARPENTER_TS_DEBUG) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
        return 1;
      }
    },
  };
}
