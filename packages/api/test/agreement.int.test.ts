// Offline validate() and a real API server (with the generated CRDs, installed by the test
// environment) must blame the same fields. Every field of every example is replaced in turn by
// values of the wrong shape, and each mutant is sent as a server-side dry run.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { validate } from '../src/index.js';

const dir = fileURLToPath(new URL('../../../examples/nodepools/', import.meta.url));
const examples = readdirSync(dir).flatMap((file) =>
  parseAllDocuments(readFileSync(`${dir}${file}`, 'utf8')).map((d) => d.toJS() as KubernetesObject),
);
const wrongShapes: unknown[] = [null, 0, '', 'x', {}];
/** The API server's "rules not checked" note and fields it prunes silently (no strict decoding here). */
const ignoredOffline = new Set(['blocked', 'unknown']);

function withValueAt(root: unknown, at: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[at[at.length - 1]] = value;
  return copy;
}

/** Every field inside spec (and status), each replaced in turn by each wrong shape. */
function* mutants(value: unknown, path: (string | number)[] = []): Generator<[string, (root: unknown) => unknown]> {
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : [];
  for (const [key, child] of children) {
    const at = [...path, key];
    if (at[0] === 'apiVersion' || at[0] === 'kind' || at[0] === 'metadata') continue;
    // A non-object spec also trips the scale subresource's accessor on .spec.replicas, an
    // internal error with nothing to agree on: mutate inside spec only.
    if (at.length > 1) {
      for (const shape of wrongShapes) yield [`${at.join('.')} = ${JSON.stringify(shape)}`, (root) => withValueAt(root, at, shape)];
    }
    yield* mutants(child, at);
  }
}

/** The fields the API server blames for an object, or [] when it accepts it. */
async function serverVerdict(objects: KubernetesObjectApi, object: KubernetesObject): Promise<string[]> {
  try {
    await objects.create(object, undefined, 'All');
    return [];
  } catch (error) {
    const { body } = error as { body?: string };
    if (typeof body !== 'string') throw error;
    const status = JSON.parse(body) as { message: string; details?: { causes?: { field?: string }[] } };
    const causes = status.details?.causes ?? [{ field: `(no causes: ${status.message})` }];
    return causes.map((c) => c.field ?? '').filter((f) => f !== '<nil>');
  }
}

const fieldSet = (paths: string[]) => [...new Set(paths)].sort();

describe('offline validate() agrees with the API server', () => {
  it.each(examples.map((e) => [`${e.kind} ${e.metadata?.name}`, e] as const))(
    '%s: every mutant is blamed on the same fields',
    async (_, example) => {
      const kc = new KubeConfig();
      kc.loadFromDefault();
      const objects = KubernetesObjectApi.makeApiClient(kc);
      const disagreements: string[] = [];
      let compared = 0;
      for (const [description, mutate] of mutants(example)) {
        const mutant = mutate(example) as KubernetesObject;
        const offline = fieldSet(validate(mutant).filter((p) => !ignoredOffline.has(p.rule)).map((p) => p.path));
        const server = fieldSet(await serverVerdict(objects, mutant));
        compared++;
        if (offline.join() !== server.join()) disagreements.push(`${description}: offline [${offline}] vs server [${server}]`);
      }
      expect(compared).toBeGreaterThan(20);
      expect(disagreements).toEqual([]);
    },
  );
});
