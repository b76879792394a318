// moto_server, the local AWS peer: one port answers EC2, IAM, SQS, SSM, EventBridge.
import { join } from 'node:path';
import { freePort, startProcess, waitUntilReady, type RunningPeer } from './processes.js';

export interface Moto {
  running: RunningPeer;
  endpoint: string;
}

export async function startMoto(dir: string, detached: boolean): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const running = startProcess('moto_server', 'moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    logFile: join(dir, 'logs', 'moto.log'),
    detached,
    stopSignal: 'SIGINT',
  });
  await waitUntilReady(running, 'answering', async () => {
    const response = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? true : undefined;
  });
  return { running, endpoint };
}

/**
 * Clears every resource moto holds (instances, VPCs, queues, …), so a test starts from nothing.
 * Only on a moto the caller owns (e.g. one from `startMoto`): test files run in parallel and share
 * the one at AWS_ENDPOINT_URL, so resetting that wipes what the others are doing.
 * @example await resetMoto(privateMoto.endpoint);
 */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset at ${endpoint} answered HTTP ${response.status}`);
}
