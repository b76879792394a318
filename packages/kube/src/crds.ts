import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import type { KubeClient } from './kube-client.js';
import { ResourceClient } from './resource-client.js';
import { Resources } from './resources.js';
import { sleep } from './sleep.js';

/**
 * Applies CRDs (server-side apply, so re-running updates them) and waits until the API server
 * reports each one Established, i.e. its endpoints serve requests.
 */
export async function installCustomResourceDefinitions(kube: KubeClient, crds: readonly V1CustomResourceDefinition[], timeoutMs = 30_000): Promise<void> {
  const client = new ResourceClient(kube, Resources.customResourceDefinitions, 'karpenter-ts-crd-install');
  for (const crd of crds) await client.apply(crd);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const name = crd.metadata!.name!;
    for (;;) {
      const current = await client.get(name);
      if (current?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CustomResourceDefinition ${name} is not Established after ${timeoutMs} ms`);
      await sleep(100);
    }
  }
}
