// The generated CRDs on a real API server: every example is accepted, and every invalid manifest
// of the api tests is rejected with the same field path and message as the offline validate().
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { KubernetesObjectApi, loadAllYaml, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { validate } from '@karpenter-ts/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { invalidCases } from '../../packages/api/test/invalid-cases.js';
import { freshNamespace, installCrds, kubeConfigFromEnv, projectCrds, repoRoot } from './index.js';

const karpenterKinds = new Set(['NodePool', 'NodeClaim', 'EC2NodeClass']);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

const readOne = (file: string) => loadAllYaml(readFileSync(file, 'utf8'))[0] as KubernetesObject;

const examples = yamlFiles(join(repoRoot, 'examples')).flatMap((file) =>
  (loadAllYaml(readFileSync(file, 'utf8')) as KubernetesObject[])
    .filter((doc) => doc?.kind)
    .map((doc) => [`${relative(repoRoot, file)}: ${doc.kind} ${doc.metadata?.name}`, doc] as const),
);

interface Rejection {
  code: number;
  message: string;
  causes: { field?: string; message?: string }[];
}

/** The API server's answer to a request: undefined when accepted, the Status when refused. */
async function verdict(request: Promise<unknown>): Promise<Rejection | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    const { code, body } = error as { code?: number; body?: string };
    if (code === undefined || typeof body !== 'string') throw error;
    const status = JSON.parse(body) as { message: string; details?: { causes?: Rejection['causes'] } };
    return { code, message: status.message, causes: status.details?.causes ?? [] };
  }
}

describe('generated CRDs on the API server', () => {
  let kc: KubeConfig;
  let objects: KubernetesObjectApi;
  let namespace: string;

  beforeAll(async () => {
    kc = kubeConfigFromEnv();
    objects = KubernetesObjectApi.makeApiClient(kc);
    namespace = await freshNamespace(kc, 'examples');
  });

  it('apply (again, idempotently) and are Established', async () => {
    const names = projectCrds().map((crd) => crd.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['ec2nodeclasses.karpenter.k8s.aws', 'nodeclaims.karpenter.sh', 'nodepools.karpenter.sh']));
    await installCrds(kc, projectCrds());
    for (const crd of projectCrds()) {
      const stored = await objects.read({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: crd.metadata!.name! } });
      const conditions = (stored as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
      expect(conditions.find((c) => c.type === 'Established')?.status, crd.metadata?.name).toBe('True');
      expect(conditions.find((c) => c.type === 'NamesAccepted')?.status, crd.metadata?.name).toBe('True');
    }
  });

  it('has examples to check', () => {
    expect(examples.filter(([, doc]) => doc.kind === 'NodePool').length).toBeGreaterThan(0);
    expect(examples.filter(([, doc]) => doc.kind === 'EC2NodeClass').length).toBeGreaterThan(0);
  });

  it.each(examples)('accepts %s (and so does validate())', async (_, doc) => {
    const object = karpenterKinds.has(doc.kind!) ? doc : { ...doc, metadata: { ...doc.metadata, namespace } };
    // A server-side dry run passes schema, CEL and admission without storing, so examples that
    // share a name with another test's objects cannot collide.
    expect(await verdict(objects.create(object, undefined, 'All'))).toBeUndefined();
    if (karpenterKinds.has(doc.kind!)) expect(validate(doc)).toEqual([]);
  });

  it('has invalid cases to check', () => expect(invalidCases.length).toBeGreaterThanOrEqual(20));

  it.each(invalidCases.map((c) => [c.name, c] as const))('%s: the API server and validate() reject it alike', async (name, c) => {
    const manifest = readOne(c.file);
    const old = c.oldFile ? readOne(c.oldFile) : undefined;
    let rejection: Rejection | undefined;
    if (old) {
      // Transition rules need a stored object; a unique name keeps parallel runs apart.
      const unique = `${name}-${Date.now().toString(36)}`;
      const stored = await objects.create({ ...old, metadata: { ...old.metadata, name: unique } });
      try {
        rejection = await verdict(
          objects.replace({ ...manifest, metadata: { ...manifest.metadata, name: unique, resourceVersion: stored.metadata?.resourceVersion } }, undefined, 'All'),
        );
      } finally {
        await objects.delete(stored);
      }
    } else {
      rejection = await verdict(objects.create(manifest, undefined, 'All'));
    }

    expect(rejection?.code, `${name} was accepted by the API server`).toBe(422);
    const serverCause = rejection!.causes.find((cause) => cause.field === c.path);
    expect(serverCause?.message, `API server causes: ${JSON.stringify(rejection!.causes)}`).toContain(c.message);

    const problems = validate(manifest, old ? { oldObject: old } : {});
    const offline = problems.filter((p) => p.rule !== 'blocked');
    expect(offline.map((p) => p.path)).toEqual([c.path]);
    expect(offline[0].message).toContain(c.message);
    // The same rule fires on both sides: no other field is blamed, and both say whether a schema
    // error kept the CEL rules from running.
    const notChecked = (cause: Rejection['causes'][number]) => cause.message?.includes('some validation rules were not checked') === true;
    expect([...new Set(rejection!.causes.filter((cause) => !notChecked(cause)).map((cause) => cause.field))]).toEqual([c.path]);
    expect(rejection!.causes.some(notChecked)).toBe(problems.some((p) => p.rule === 'blocked'));
  });
});
