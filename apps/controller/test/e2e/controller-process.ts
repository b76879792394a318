import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const mainPath = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const compiledMainPath = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** The V8 settings the image runs with (see the Dockerfile): a small young generation and a bounded old one. */
export const productionNodeOptions = ['--max-semi-space-size=2', '--max-old-space-size=192'];

export type LogLine = Record<string, unknown> & { msg?: string };

/**
 * The controller as its own process, started the way `npm run controller` starts it (one node
 * process, so a signal reaches the controller itself), with the settings in its environment.
 * `compiled` runs the built `dist/main.js` with the image's Node options instead, as in production.
 */
export class ControllerProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(readonly identity: string, env: Record<string, string>, options: { compiled?: boolean } = {}) {
    const args = options.compiled ? [...productionNodeOptions, compiledMainPath] : ['--import', 'tsx', '--conditions=@karpenter-ts/source', mainPath];
    this.child = spawn(process.execPath, args, {
      cwd: repoRoot,
      // tsx must read the app's tsconfig (experimentalDecorators) rather than search from the repo root.
      env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)), POD_NAME: identity, METRICS_PORT: '0', HEALTH_PROBE_PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface(this.child.stdout!).on('line', (line) => {
      try {
        this.logs.push(JSON.parse(line) as LogLine);
      } catch {
        this.stderr.push(line);
      }
      if (process.env.E2E_LOGS) process.stderr.write(`[${identity}] ${line}\n`);
    });
    createInterface(this.child.stderr!).on('line', (line) => {
      this.stderr.push(line);
      if (process.env.E2E_LOGS) process.stderr.write(`[${identity} stderr] ${line}\n`);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  logged(msg: string): LogLine | undefined {
    return this.logs.find((l) => l.msg === msg);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. */
  async stop(): Promise<void> {
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), 25_000);
    await this.exited;
    clearTimeout(timer);
  }
}
