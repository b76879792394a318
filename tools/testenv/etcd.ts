// etcd, the API server's storage: one member on 127.0.0.1, no fsync (its data is thrown away).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startProcess, waitUntilReady, type RunningPeer } from './processes.js';

export interface Etcd {
  running: RunningPeer;
  clientUrl: string;
}

export async function startEtcd(binary: string, dir: string, detached: boolean): Promise<Etcd> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  mkdirSync(join(dir, 'etcd'), { recursive: true, mode: 0o700 });
  const running = startProcess(
    'etcd',
    binary,
    [
      '--name=testenv',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=testenv=${peerUrl}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    { logFile: join(dir, 'logs', 'etcd.log'), detached },
  );
  await waitUntilReady(running, 'healthy', async () => {
    const response = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { health?: string };
    return body.health === 'true' ? true : undefined;
  });
  return { running, clientUrl };
}
