// Small helpers for integration tests that talk to the test API server.
import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

/**
 * The admin KubeConfig of the test cluster, from KUBECONFIG.
 * @example const core = kubeConfigFromEnv().makeApiClient(CoreV1Api);
 */
export function kubeConfigFromEnv(): KubeConfig {
  const file = process.env.KUBECONFIG;
  if (!file) throw new Error('KUBECONFIG is not set: run the integration tier (vitest --project integration) or `eval "$(npm run -s testenv:up)"`');
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

/**
 * Creates a namespace with a unique name and its `default` ServiceAccount (there is no
 * kube-controller-manager to create it, and pods are refused without it). Returns the name.
 * @example const ns = await freshNamespace(kc, 'eviction');
 */
export async function freshNamespace(kc: KubeConfig, prefix = 'test'): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name, labels: { 'karpenter-ts.dev/testenv': 'true' } } } });
  await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: 'default' } } });
  return name;
}
