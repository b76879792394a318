// `npm run testenv:up` / `npm run testenv:down`. `up` prints only `export …` lines on stdout (so
// `eval "$(npm run -s testenv:up)"` works) and writes them to .testenv/env; everything else goes to
// stderr. The peers keep running until `down`, which stops exactly the processes `up` recorded.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './crds.js';
import { shellExports, startTestEnv, stopTestEnv, type TestEnvState } from './environment.js';
import { isRunning } from './processes.js';

const dir = join(repoRoot, '.testenv');
const stateFile = join(dir, 'state.json');
const envFile = join(dir, 'env');
const log = (line: string) => process.stderr.write(`[testenv] ${line}\n`);

function readState(): TestEnvState | undefined {
  return existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as TestEnvState) : undefined;
}

/** Stops what the state file records and deletes everything in .testenv but the logs. */
async function down(): Promise<void> {
  const state = readState();
  if (state) {
    await stopTestEnv(state);
    log(`stopped ${state.peers.map((peer) => `${peer.name} (pid ${peer.pid})`).join(', ')}`);
  } else {
    log('nothing recorded in .testenv/state.json; nothing to stop');
  }
  if (existsSync(dir)) {
    for (const entry of readdirSync(dir)) if (entry !== 'logs') rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

async function up(): Promise<void> {
  const previous = readState();
  if (previous?.peers.every(isRunning)) {
    log('already running (npm run testenv:down stops it)');
    process.stdout.write(shellExports(previous.env));
    return;
  }
  if (previous) {
    log('a previous environment is partly gone; stopping what is left of it');
    await down();
  }
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, 'logs'), { recursive: true, force: true });
  const state = await startTestEnv({ dir, detached: true, log });
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  writeFileSync(envFile, shellExports(state.env));
  log(`environment written to ${envFile}; kubectl --kubeconfig ${state.env.KUBECONFIG} get nodepools`);
  process.stdout.write(shellExports(state.env));
}

const command = process.argv[2];
const commands: Record<string, () => Promise<void>> = { up, down };
if (!commands[command]) {
  log('usage: cli.ts up|down');
  process.exit(2);
}
commands[command]().catch((error: Error) => {
  log(error.message);
  process.exitCode = 1;
});
