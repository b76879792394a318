import type { TSchema } from '@sinclair/typebox';
import type { CelRule } from '../schema/common.js';

/** The subset of `JSONSchemaProps` a structural CRD schema uses. */
export interface StructuralSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  format?: string;
  default?: unknown;
  enum?: string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  required?: string[];
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  anyOf?: StructuralSchema[];
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: CelRule[];
}

const copiedKeywords = [
  'description',
  'format',
  'default',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'maxProperties',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-validations',
] as const;

/**
 * Turns a TypeBox schema into the structural OpenAPI v3 schema the API server requires:
 * every node has a `type`, maps use `additionalProperties`, closed string sets use `enum`,
 * quantities use `x-kubernetes-int-or-string`, and no `$ref`, `const` or
 * `additionalProperties: false` remain. Properties with a default are not `required`
 * (the API server defaults before it validates).
 */
export function toStructural(schema: TSchema): StructuralSchema {
  return inReadingOrder(convert(schema));
}

const keyOrder = ['description', 'type', 'format', 'enum', 'default', 'x-kubernetes-int-or-string', 'anyOf'];
const rank = (key: string) => (key === 'x-kubernetes-validations' ? 99 : keyOrder.includes(key) ? keyOrder.indexOf(key) : 50);

/** Description and type first, CEL rules last: the order a reader of the YAML expects. */
function inReadingOrder(schema: StructuralSchema): StructuralSchema {
  return Object.fromEntries(Object.entries(schema).sort(([a], [b]) => rank(a) - rank(b))) as StructuralSchema;
}

function convert(schema: TSchema): StructuralSchema {
  const source = schema as Record<string, unknown> & TSchema;
  const out: StructuralSchema = {};
  for (const key of copiedKeywords) {
    if (source[key] !== undefined) (out as Record<string, unknown>)[key] = structuredClone(source[key]);
  }

  if (source['x-kubernetes-int-or-string']) {
    return { ...out, 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
  }
  if (Array.isArray(source.enum)) return { type: 'string', ...out, enum: [...(source.enum as string[])] };
  if (source.const !== undefined) return { type: 'string', ...out };

  switch (source.type) {
    case 'object': {
      out.type = 'object';
      const properties = source.properties as Record<string, TSchema> | undefined;
      const patternProperties = source.patternProperties as Record<string, TSchema> | undefined;
      if (patternProperties) {
        out.additionalProperties = toStructural(Object.values(patternProperties)[0]);
      } else if (properties) {
        out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toStructural(v)]));
        const required = ((source.required as string[] | undefined) ?? []).filter((k) => properties[k].default === undefined);
        if (required.length > 0) out.required = required;
      }
      return out;
    }
    case 'array':
      return { ...out, type: 'array', items: toStructural(source.items as TSchema) };
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return { ...out, type: source.type };
    default:
      throw new Error(`toStructural: no structural form for schema ${JSON.stringify(source).slice(0, 200)}`);
  }
}

/** Every CEL rule in a structural schema, with the schema path it is declared on (for tests and docs). */
export function collectRules(schema: StructuralSchema, path = ''): { path: string; rule: CelRule }[] {
  const own = (schema['x-kubernetes-validations'] ?? []).map((rule) => ({ path: path || '.', rule }));
  const children = [
    ...Object.entries(schema.properties ?? {}).map(([key, child]) => collectRules(child, `${path}.${key}`)),
    schema.additionalProperties ? collectRules(schema.additionalProperties, `${path}[*]`) : [],
    schema.items ? collectRules(schema.items, `${path}[*]`) : [],
  ];
  return [...own, ...children.flat()];
}
