// What a machine needs before the integration tier can run, and how to get it. Cheap and
// synchronous, so vitest.config.ts can decide whether to run the tier at all.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { binaryPath, isOnPath, recipes } from './binaries.js';

/** The directory holding initdb and postgres: PostgreSQL 15 preferred, else the newest installed. */
export function findPostgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const candidates = ['15', ...versions].map((v) => join(root, v, 'bin'));
  const fromPgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromPgConfig.status === 0) candidates.push(fromPgConfig.stdout.trim());
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
}

/** One line per missing peer: what is missing and how to get it. Empty when everything is there. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  const unbuilt = recipes.filter((recipe) => !existsSync(binaryPath(recipe)));
  if (unbuilt.length > 0 && !isOnPath('go')) {
    missing.push(
      `${unbuilt.map((r) => r.name).join(' and ')} (built from the Go module proxy): install Go 1.26+ (https://go.dev/dl/), then run \`npm run testenv:build\``,
    );
  }
  if (!isOnPath('moto_server')) missing.push("moto_server (the AWS peer): pip install 'moto[server]==5.2.1'");
  if (!findPostgresBinDir()) missing.push('PostgreSQL 15 (initdb, postgres): apt-get install postgresql-15, or add its bin directory to PATH');
  if (!isOnPath('openssl')) missing.push('openssl (makes the cluster certificates): apt-get install openssl');
  return missing;
}

/**
 * Whether vitest should run the integration tier. Where a peer is missing it says so loudly and
 * skips the tier; with CI=true it keeps the tier, whose global setup then fails with the same list.
 */
export function integrationTierEnabled(): boolean {
  const missing = missingPrerequisites();
  if (missing.length === 0) return true;
  const ci = process.env.CI === 'true';
  // vitest evaluates its config more than once per run; say it once.
  if (process.env.KARPENTER_TS_TESTENV_WARNED) return ci;
  process.env.KARPENTER_TS_TESTENV_WARNED = 'true';
  const rule = '!'.repeat(100);
  console.error(
    [
      rule,
      `!! ${ci ? 'FAILING' : 'SKIPPING'} the integration tier: the real peers cannot be provided on this machine. Missing:`,
      ...missing.map((m) => `!!   - ${m}`),
      ci ? '!! CI=true, so this is an error.' : '!! Only the unit tier runs. Install the above to run everything.',
      rule,
    ].join('\n'),
  );
  return ci;
}
