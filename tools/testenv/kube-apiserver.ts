// A real kube-apiserver on 127.0.0.1 with RBAC, service-account tokens and an admin client certificate.
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { adminKubeconfig, createClusterPki, type ClusterPki } from './pki.js';
import { freePort, startProcess, waitUntilReady, type RunningPeer } from './processes.js';

export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';
const KUBERNETES_SERVICE_IP = '10.96.0.1';

export interface KubeApiserver {
  running: RunningPeer;
  server: string;
  kubeconfig: string;
}

/** GET `path` with the admin certificate; resolves with the status code and body. */
function adminGet(server: string, pki: ClusterPki, path: string): Promise<{ status: number; body: string }> {
  const agent = new Agent({ ca: readFileSync(pki.caCert), cert: readFileSync(pki.adminCert), key: readFileSync(pki.adminKey) });
  return new Promise((resolve, reject) => {
    const req = request(`${server}${path}`, { agent, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

export async function startKubeApiserver(binary: string, dir: string, etcdUrl: string, detached: boolean): Promise<KubeApiserver> {
  const pki = createClusterPki(join(dir, 'pki'), KUBERNETES_SERVICE_IP);
  const port = await freePort();
  const server = `https://127.0.0.1:${port}`;
  const running = startProcess(
    'kube-apiserver',
    binary,
    [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${join(dir, 'pki')}`,
      `--tls-cert-file=${pki.servingCert}`,
      `--tls-private-key-file=${pki.servingKey}`,
      `--client-ca-file=${pki.caCert}`,
      '--authorization-mode=Node,RBAC',
      `--service-account-key-file=${pki.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--api-audiences=https://kubernetes.default.svc.cluster.local',
      `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
      '--allow-privileged=true',
      '--profiling=false',
      '--v=1',
    ],
    { logFile: join(dir, 'logs', 'kube-apiserver.log'), detached },
  );
  await waitUntilReady(
    running,
    'ready',
    async () => {
      const { status } = await adminGet(server, pki, '/readyz');
      return status === 200 ? true : undefined;
    },
    120_000,
  );
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, adminKubeconfig(pki, server), { mode: 0o600 });
  return { running, server, kubeconfig };
}
