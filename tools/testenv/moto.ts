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
 * @example await resetMoto(); // uses AWS_ENDPOINT_URL
 */
export async function resetMoto(endpoint = process.env.AWS_ENDPOINT_URL): Promise<void> {
  if (!endpoint) throw new Error('AWS_ENDPOINT_URL is not set: run the integration tier (vitest --project integration) or `eval "$(npm run -s testenv:up)"`');
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset at ${endpoint} answered HTTP ${response.status}`);
}
