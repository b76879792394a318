// Installs the project's CustomResourceDefinitions (packages/api/crds/*.yaml) and waits until
// the API server serves them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiextensionsV1Api, KubernetesObjectApi, PatchStrategy, loadAllYaml, type KubeConfig, type V1CustomResourceDefinition } from '@kubernetes/client-node';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const crdDir = join(repoRoot, 'packages', 'api', 'crds');

/** Every CRD document under packages/api/crds (none when the directory does not exist yet). */
export function projectCrds(dir = crdDir): V1CustomResourceDefinition[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .flatMap((file) => loadAllYaml(readFileSync(join(dir, file), 'utf8')) as V1CustomResourceDefinition[])
    .filter((doc) => doc?.kind === 'CustomResourceDefinition');
}

/** Server-side applies the CRDs, then waits for each to be Established. */
export async function installCrds(kc: KubeConfig, crds: V1CustomResourceDefinition[], timeoutMs = 60_000): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  for (const crd of crds) {
    await objects.patch(crd, undefined, undefined, 'karpenter-ts-testenv', true, PatchStrategy.ServerSideApply);
  }
  await waitForCrdsEstablished(kc, crds.map((crd) => crd.metadata!.name!), timeoutMs);
}

export async function waitForCrdsEstablished(kc: KubeConfig, names: string[], timeoutMs = 60_000): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const crd = await api.readCustomResourceDefinition({ name });
      const conditions = crd.status?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) {
        throw new Error(`CRD ${name} is not Established after ${timeoutMs / 1000} s; conditions: ${JSON.stringify(conditions)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
