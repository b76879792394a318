import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { collectRules, customResourceDefinitions, validate } from '../src/index.js';
import { invalidCases } from './invalid-cases.js';

const read = (file: string): unknown => parse(readFileSync(file, 'utf8'));

describe('invalid manifests', () => {
  it('has at least 20 cases and a table row for every file', () => {
    expect(invalidCases.length).toBeGreaterThanOrEqual(20);
    const dir = fileURLToPath(new URL('./invalid/', import.meta.url));
    const files = readdirSync(dir).map((f) => `${dir}${f}`);
    const listed = invalidCases.flatMap((c) => [c.file, ...(c.oldFile ? [c.oldFile] : [])]);
    expect([...files].sort()).toEqual([...listed].sort());
  });

  it.each(invalidCases.map((c) => [c.name, c] as const))('%s is rejected for exactly its one rule', (_, c) => {
    const object = read(c.file) as { kind: string };
    expect(object.kind).toBe(c.kind);
    const problems = validate(object, c.oldFile ? { oldObject: read(c.oldFile) } : {});
    const real = problems.filter((p) => p.rule !== 'blocked');
    expect(real, JSON.stringify(problems, null, 2)).toHaveLength(1);
    expect(real[0].path).toBe(c.path);
    expect(real[0].message).toContain(c.message);
    // Like the API server, schema errors of blocking kinds stop the CEL rules from running.
    if (c.source === 'schema' && ['enum', 'required', 'type', 'maxLength', 'maxItems', 'maxProperties'].includes(real[0].rule)) {
      expect(problems.map((p) => p.rule)).toContain('blocked');
    }
    expect(/\bself\b/.test(real[0].rule), 'CEL rules mention self; schema keywords do not').toBe(c.source === 'cel');
  });

  it('exercise every CEL rule of the CRDs', () => {
    const fired = new Set(
      invalidCases.flatMap((c) => validate(read(c.file), c.oldFile ? { oldObject: read(c.oldFile) } : {}).map((p) => p.rule)),
    );
    const rules = customResourceDefinitions.flatMap(({ crd }) => collectRules(crd.spec.versions[0].schema.openAPIV3Schema));
    const untested = rules.filter(({ rule }) => !fired.has(rule.rule)).map(({ path, rule }) => `${path}: ${rule.message}`);
    expect(untested).toEqual([]);
  });

  it.each(invalidCases.filter((c) => c.oldFile).map((c) => [c.name, c] as const))('%s: the stored object is valid and the update is accepted on create', (_, c) => {
    expect(validate(read(c.oldFile!))).toEqual([]);
    // Transition rules only run on update: as a new object the manifest is fine.
    expect(validate(read(c.file))).toEqual([]);
  });
});
