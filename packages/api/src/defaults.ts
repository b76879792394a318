import type { TSchema } from '@sinclair/typebox';
import { EC2NodeClass } from './schema/ec2nodeclass.js';
import { NodeClaim } from './schema/nodeclaim.js';
import { NodePool } from './schema/nodepool.js';

/** The schema of each kind this package knows, by `kind`. */
export const schemasByKind = { NodePool, NodeClaim, EC2NodeClass } as const;
export type KnownKind = keyof typeof schemasByKind;

interface SchemaNode {
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  nullable?: boolean;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Applies schema defaults the way the API server does: a property that is absent (or null
 * and not nullable) gets a copy of its default, and defaulting continues inside the value,
 * so a defaulted `{}` picks up the defaults of its own fields. Present values are never merged.
 */
export function applySchemaDefaults(schema: SchemaNode, value: unknown): unknown {
  if (Array.isArray(value)) {
    return schema.items ? value.map((item) => applySchemaDefaults(schema.items as SchemaNode, item)) : value;
  }
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = { ...value };
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const current = result[key];
    if ((current === undefined || (current === null && !property.nullable)) && property.default !== undefined) {
      result[key] = structuredClone(property.default);
    }
    if (result[key] !== undefined) result[key] = applySchemaDefaults(property, result[key]);
  }
  const valueSchema =
    Object.values(schema.patternProperties ?? {})[0] ??
    (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
  if (valueSchema && !schema.properties) {
    for (const key of Object.keys(result)) result[key] = applySchemaDefaults(valueSchema, result[key]);
  }
  return result;
}

/**
 * Returns a copy of a NodePool, NodeClaim or EC2NodeClass with the defaults the API server
 * applies on create: expireAfter 720h, consolidationPolicy WhenEmptyOrUnderutilized,
 * consolidateAfter 0s, budgets [{nodes: "10%"}], metadataOptions (httpTokens required, hop
 * limit 1, endpoint enabled, IPv6 disabled), …
 *
 * @example
 * const pool = withDefaults(yaml.parse(text) as NodePool);
 * pool.spec.disruption.budgets; // [{ nodes: '10%' }]
 */
export function withDefaults<T extends { kind: string }>(object: T): T {
  const schema = (schemasByKind as Record<string, TSchema>)[object.kind];
  if (!schema) throw new Error(`withDefaults: unknown kind "${object.kind}"; expected one of ${Object.keys(schemasByKind).join(', ')}`);
  return applySchemaDefaults(schema as SchemaNode, object) as T;
}
