import { ResourceClient, resource, type KubeClient, type KubeObject } from '@karpenter-ts/kube';

const namespaces = resource<KubeObject>('', 'v1', 'namespaces', 'Namespace', false);
const serviceAccounts = resource<KubeObject>('', 'v1', 'serviceaccounts', 'ServiceAccount', true);

/** A fresh namespace with its `default` ServiceAccount (no controller-manager runs to create it; pods need it). */
export async function createTestNamespace(kube: KubeClient, prefix: string): Promise<string> {
  const created = await new ResourceClient(kube, namespaces).create({ metadata: { generateName: `${prefix}-` } });
  const name = created.metadata!.name!;
  await new ResourceClient(kube, serviceAccounts).create({ metadata: { name: 'default', namespace: name } });
  return name;
}

export async function deleteTestNamespace(kube: KubeClient, name: string): Promise<void> {
  await new ResourceClient(kube, namespaces).delete(name);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
