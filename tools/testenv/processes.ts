// Starting, watching and stopping the peer processes. A peer is identified by its pid and the
// kernel's start time for that pid, so `stop` never signals an unrelated process that reused the pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface PeerProcess {
  name: string;
  pid: number;
  /** Field 22 of /proc/<pid>/stat; undefined where /proc does not exist. */
  startTime?: string;
  stopSignal: NodeJS.Signals;
  logFile: string;
}

export interface RunningPeer {
  peer: PeerProcess;
  child: ChildProcess;
  /** Rejects (with the log's tail) when the process exits or cannot start; fails a readiness wait early. */
  exited: Promise<never>;
  hasExited: () => boolean;
}

export interface StartOptions {
  logFile: string;
  /** Survive the parent (for `testenv:up`). */
  detached?: boolean;
  uid?: number;
  gid?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stopSignal?: NodeJS.Signals;
}

/** The kernel's start time and state of a pid (fields 22 and 3 of /proc/<pid>/stat), where /proc exists. */
function procStat(pid: number): { startTime: string; state: string } | undefined {
  try {
    // The command name (field 2) may contain spaces; the fields after it are space separated.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], startTime: fields[19] };
  } catch {
    return undefined;
  }
}

export function logTail(logFile: string, lines = 25): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function startProcess(name: string, command: string, args: string[], options: StartOptions): RunningPeer {
  const out = openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    stdio: ['ignore', out, out],
    detached: options.detached ?? false,
    uid: options.uid,
    gid: options.gid,
    cwd: options.cwd,
    env: options.env ?? process.env,
  });
  closeSync(out);
  if (options.detached) child.unref();
  let ended = false;
  const exited = new Promise<never>((_, reject) => {
    const fail = (reason: string) => {
      ended = true;
      reject(new Error(`${name} ${reason}; last lines of ${options.logFile}:\n${logTail(options.logFile)}`));
    };
    child.once('error', (error) => fail(`could not start (${command}: ${error.message})`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`})`));
  });
  exited.catch(() => undefined); // observed by waitUntilReady; avoids an unhandled rejection later
  const pid = child.pid ?? -1;
  return {
    child,
    exited,
    hasExited: () => ended,
    peer: { name, pid, startTime: pid > 0 ? procStat(pid)?.startTime : undefined, stopSignal: options.stopSignal ?? 'SIGTERM', logFile: options.logFile },
  };
}

/** Whether the recorded peer is still this very process. */
export function isRunning(peer: PeerProcess): boolean {
  if (peer.pid <= 0) return false;
  try {
    process.kill(peer.pid, 0);
  } catch {
    return false;
  }
  if (peer.startTime === undefined) return true;
  const now = procStat(peer.pid);
  // A zombie (state Z) of ours still answers kill(0).
  return now?.startTime === peer.startTime && now.state !== 'Z';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops exactly this peer: its stop signal, then SIGKILL after `graceMs`. */
export async function stopPeer(peer: PeerProcess, graceMs = 15_000): Promise<void> {
  if (!isRunning(peer)) return;
  process.kill(peer.pid, peer.stopSignal);
  const deadline = Date.now() + graceMs;
  while (isRunning(peer)) {
    if (Date.now() > deadline) {
      process.kill(peer.pid, 'SIGKILL');
      await sleep(200);
      return;
    }
    await sleep(100);
  }
}

/** Polls `check` until it returns a value, the process exits, or the timeout passes. */
export async function waitUntilReady<T>(running: RunningPeer, what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (running.hasExited()) await running.exited;
    try {
      const value = await Promise.race([check(), running.exited]);
      if (value !== undefined) return value;
    } catch (error) {
      if (running.hasExited()) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      running.child.kill('SIGKILL');
      throw new Error(
        `${running.peer.name} was not ${what} after ${timeoutMs / 1000} s (last error: ${(lastError as Error | undefined)?.message ?? 'none'}); ` +
          `last lines of ${running.peer.logFile}:\n${logTail(running.peer.logFile)}`,
      );
    }
    await sleep(250);
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
