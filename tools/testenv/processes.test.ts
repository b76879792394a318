import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellExports } from './environment.js';
import { freePort, isRunning, startProcess, stopPeer, waitUntilReady } from './processes.js';

const dir = mkdtempSync(join(tmpdir(), 'karpenter-ts-processes-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('peer processes', () => {
  it('stops exactly the recorded process, and never one that merely has its pid', async () => {
    const running = startProcess('sleeper', 'sleep', ['60'], { logFile: join(dir, 'sleeper.log') });
    expect(isRunning(running.peer)).toBe(true);
    // The same pid recorded with another start time is a different (recycled) process: left alone.
    const impostor = { ...running.peer, startTime: '1' };
    expect(isRunning(impostor)).toBe(false);
    await stopPeer(impostor);
    expect(isRunning(running.peer)).toBe(true);

    await stopPeer(running.peer);
    expect(isRunning(running.peer)).toBe(false);
  });

  it('fails a readiness wait at once, with the log, when the process exits', async () => {
    const running = startProcess('broken', 'sh', ['-c', 'echo "bad flag --nope" >&2; exit 3'], { logFile: join(dir, 'broken.log') });
    await expect(waitUntilReady(running, 'ready', async () => undefined, 30_000)).rejects.toThrow(/broken exited \(code 3\)[\s\S]*bad flag --nope/);
  });

  it('fails a readiness wait at once when the command does not exist', async () => {
    const running = startProcess('ghost', '/nonexistent/ghost-server', [], { logFile: join(dir, 'ghost.log') });
    await expect(waitUntilReady(running, 'ready', async () => undefined, 30_000)).rejects.toThrow(/ghost could not start/);
  });

  it('finds a free port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1024);
  });
});

describe('shellExports', () => {
  it('prints lines a POSIX shell evaluates back to the same values', () => {
    const env = { KUBECONFIG: '/tmp/a b/kubeconfig', ODD: "it's $HOME `x`" };
    const shell = spawnSync('sh', ['-c', `${shellExports(env)}printf '%s\\n' "$KUBECONFIG" "$ODD"`], { encoding: 'utf8' });
    expect(shell.stdout).toBe(`${env.KUBECONFIG}\n${env.ODD}\n`);
  });
});
