// Credentials of a ServiceAccount for the chart tests: a token from the TokenRequest API, as a
// connection for KubeClient or as a kubeconfig file for a process that reads KUBECONFIG.
import { writeFileSync } from 'node:fs';
import { KubeClient } from '@karpenter-ts/kube';
import { stringify } from 'yaml';

export async function serviceAccountToken(admin: KubeClient, namespace: string, serviceAccount: string, expirationSeconds = 3600): Promise<string> {
  const request = await admin.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
  });
  return request.status.token;
}

/** A client for the API server `admin` talks to, authenticating with the token only. */
export function clientWithToken(admin: KubeClient, token: string): KubeClient {
  const { server, ca, tlsServerName } = admin.connection;
  return new KubeClient({ server, ca, tlsServerName, authorization: async () => `Bearer ${token}` });
}

/** Writes a kubeconfig for the API server `admin` talks to, authenticating with the token only. */
export function writeKubeconfigWithToken(admin: KubeClient, token: string, file: string): void {
  const { server, ca } = admin.connection;
  const cluster = { server, ...(ca ? { 'certificate-authority-data': ca.toString('base64') } : {}) };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster }],
    users: [{ name: 'service-account', user: { token } }],
    contexts: [{ name: 'service-account', context: { cluster: 'test', user: 'service-account' } }],
    'current-context': 'service-account',
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
}
