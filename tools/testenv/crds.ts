// Installs the project's CustomResourceDefinitions (packages/api/crds/*.yaml) and waits until
// the API server serves them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiextensionsV1Api, CustomObjectsApi, KubernetesObjectApi, PatchStrategy, loadAllYaml, type KubeConfig, type V1CustomResourceDefinition } from '@kubernetes/client-node';

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

/**
 * Waits until each CRD is Established and its resources can be listed: just after Established
 * the API server still answers 429 "storage is (re)initializing" while its watch cache fills.
 */
export async function waitForCrdsEstablished(kc: KubeConfig, names: string[], timeoutMs = 60_000): Promise<void> {
  const crds = kc.makeApiClient(ApiextensionsV1Api);
  const objects = kc.makeApiClient(CustomObjectsApi);
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    let state = 'not read yet';
    for (;;) {
      const crd = await crds.readCustomResourceDefinition({ name });
      const established = (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
      state = established ? 'Established but not listable' : `conditions ${JSON.stringify(crd.status?.conditions ?? [])}`;
      if (established) {
        const listable = await objects
          .listClusterCustomObject({ group: crd.spec.group, version: crd.spec.versions.find((v) => v.storage)!.name, plural: crd.spec.names.plural, limit: 1 })
          .then(
            () => true,
            () => false,
          );
        if (listable) break;
      }
      if (Date.now() > deadline) throw new Error(`CRD ${name} is not ready after ${timeoutMs / 1000} s: ${state}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
