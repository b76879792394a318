// Bad input gets problems back, never an exception: every field of a few realistic manifests is
// replaced in turn by values of the wrong shape, and validate() must answer each with a list.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { validate } from '../src/index.js';

const dir = fileURLToPath(new URL('../../../examples/nodepools/', import.meta.url));
const documents = ['general-purpose.yaml', 'custom-user-data.yaml', 'budgets-with-schedules.yaml'].flatMap((file) =>
  parseAllDocuments(readFileSync(`${dir}${file}`, 'utf8')).map((d) => d.toJS() as Record<string, unknown>),
);
const wrongShapes: unknown[] = [null, 0, -1, 1.5, '', 'x', true, [], {}, [null], { '': null }];

/** Every path to a value inside the object, as lists of keys and indices. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, i) => paths(item, [...prefix, i]))];
  if (typeof value === 'object' && value !== null) return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return [prefix];
}

function replaced(object: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(object) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = replacement;
  return copy;
}

describe('validate() on malformed input', () => {
  it.each(documents.map((d) => [`${d.kind} ${(d.metadata as { name: string }).name}`, d] as const))(
    '%s: every field replaced by a wrong shape yields problems, not an exception',
    (_, document) => {
      let invalid = 0;
      for (const path of paths(document).filter((p) => p.length > 0)) {
        for (const shape of wrongShapes) {
          const problems = validate(replaced(document, path, shape));
          expect(Array.isArray(problems), `${path.join('.')} = ${JSON.stringify(shape)}`).toBe(true);
          for (const p of problems) expect(typeof p.message === 'string' && p.message.length > 0).toBe(true);
          if (problems.length > 0) invalid++;
        }
      }
      expect(invalid).toBeGreaterThan(0);
    },
  );
});
