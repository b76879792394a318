import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { customResourceDefinitions, nodePoolCrd } from './definitions.js';
import { collectRules, type StructuralSchema } from './structural.js';
import { renderCrdYaml } from './yaml.js';

const crdDir = fileURLToPath(new URL('../../crds', import.meta.url));
const schemaOf = (crd: (typeof customResourceDefinitions)[number]['crd']) => crd.spec.versions[0].schema.openAPIV3Schema;

/** Every node of a schema with its path, for structural checks. */
function* nodes(schema: StructuralSchema, path = ''): Generator<[string, StructuralSchema]> {
  yield [path || '.', schema];
  for (const [key, child] of Object.entries(schema.properties ?? {})) yield* nodes(child, `${path}.${key}`);
  if (schema.additionalProperties) yield* nodes(schema.additionalProperties, `${path}[*]`);
  if (schema.items) yield* nodes(schema.items, `${path}[]`);
}

describe('generated CRDs', () => {
  it.each(customResourceDefinitions.map((d) => [d.fileName, d] as const))('%s is up to date (run `npm run crds:generate`)', (fileName, { crd }) => {
    const committed = readFileSync(join(crdDir, fileName), 'utf8');
    expect(committed, `packages/api/crds/${fileName} is stale: run \`npm run crds:generate\` and commit the result`).toBe(
      renderCrdYaml(crd),
    );
  });

  it.each(customResourceDefinitions.map((d) => [d.fileName, schemaOf(d.crd)] as const))('%s has a structural schema', (_, schema) => {
    for (const [path, node] of nodes(schema)) {
      const text = JSON.stringify(node);
      expect(text, path).not.toContain('$ref');
      expect(text, path).not.toContain('patternProperties');
      expect(text, path).not.toContain('"const"');
      if (node['x-kubernetes-int-or-string']) {
        expect(node.anyOf, path).toEqual([{ type: 'integer' }, { type: 'string' }]);
        expect(node.type, path).toBeUndefined();
      } else {
        expect(node.type, `${path} has no type`).toBeDefined();
      }
      if (node.properties && node.additionalProperties) throw new Error(`${path}: properties and additionalProperties together`);
      for (const required of node.required ?? []) expect(node.properties?.[required], `${path} requires unknown ${required}`).toBeDefined();
    }
  });

  it('has at least 15 CEL rules, each with a message that is not the rule itself', () => {
    const rules = customResourceDefinitions.flatMap(({ crd }) => collectRules(schemaOf(crd)));
    expect(new Set(rules.map((r) => r.rule.rule)).size).toBeGreaterThanOrEqual(15);
    for (const { path, rule } of rules) {
      expect(rule.message.length, `${path}: ${rule.rule}`).toBeGreaterThan(15);
      expect(rule.message).not.toContain(rule.rule);
    }
  });

  it('bounds every list and map a CEL rule iterates (the API server rejects unbounded cost)', () => {
    for (const { crd } of customResourceDefinitions) {
      for (const [path, node] of nodes(schemaOf(crd))) {
        const iterates = (node['x-kubernetes-validations'] ?? []).some((r) => /\bself\.(all|exists|filter|map)\(/.test(r.rule));
        if (!iterates) continue;
        if (node.type === 'array') expect(node.maxItems, `${crd.metadata.name} ${path}`).toBeDefined();
        else expect(node.maxProperties, `${crd.metadata.name} ${path}`).toBeDefined();
      }
    }
  });

  it('gives the NodePool a scale subresource, status subresource and the printer columns kubectl shows', () => {
    const version = nodePoolCrd.spec.versions[0];
    expect(version.subresources).toEqual({ status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.nodes' } });
    expect(version.additionalPrinterColumns.map((c) => c.name)).toEqual(['NodeClass', 'Nodes', 'Ready', 'Age', 'Weight', 'CPU', 'Memory']);
  });

  it('puts defaults in the schema so the API server applies them', () => {
    const spec = nodePoolCrd.spec.versions[0].schema.openAPIV3Schema.properties!.spec;
    const disruption = spec.properties!.disruption;
    expect(disruption.default).toEqual({ consolidateAfter: '0s' });
    expect(disruption.properties!.consolidationPolicy.default).toBe('WhenEmptyOrUnderutilized');
    expect(disruption.properties!.budgets.default).toEqual([{ nodes: '10%' }]);
    expect(spec.properties!.template.properties!.spec.properties!.expireAfter.default).toBe('720h');
  });

  it('writes YAML that parses back to the same object', () => {
    for (const { crd } of customResourceDefinitions) expect(parse(renderCrdYaml(crd))).toEqual(crd);
  });
});
