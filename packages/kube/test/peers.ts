import { KubeClient, ResourceClient, Resources, resource, type KubeObject } from '../src/index.js';

/** The API server of the integration environment (tools/testenv exports KUBECONFIG). */
export function kubeFromEnv(): KubeClient {
  if (!process.env.KUBECONFIG) throw new Error('KUBECONFIG is not set: run through the vitest integration project (tools/testenv starts the API server)');
  return KubeClient.fromEnvironment();
}

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}
export const configMaps = resource<ConfigMap>('', 'v1', 'configmaps', 'ConfigMap', true);

/** A fresh namespace for one test file; delete it in afterAll. */
export async function createNamespace(kube: KubeClient, prefix: string): Promise<string> {
  const namespaces = new ResourceClient(kube, resource<KubeObject>('', 'v1', 'namespaces', 'Namespace', false));
  const created = await namespaces.create({ metadata: { generateName: `${prefix}-` } });
  return created.metadata!.name!;
}

export async function deleteNamespace(kube: KubeClient, name: string): Promise<void> {
  const namespaces = new ResourceClient(kube, resource<KubeObject>('', 'v1', 'namespaces', 'Namespace', false));
  await namespaces.delete(name);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export { Resources };
