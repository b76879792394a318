import { crdsByKind } from './crd/definitions.js';
import type { StructuralSchema } from './crd/structural.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Applies schema defaults the way the API server does: null fields are dropped, a property
 * that is absent gets a copy of its default, and defaulting continues inside the value, so a
 * defaulted `{}` picks up the defaults of its own fields. Present values are never merged.
 */
export function applySchemaDefaults(schema: StructuralSchema, value: unknown): unknown {
  if (Array.isArray(value)) {
    return schema.items ? value.map((item) => applySchemaDefaults(schema.items!, item)) : value;
  }
  if (!isPlainObject(value)) return value;
  // The API server drops null fields and map entries (none of ours is nullable) before defaulting.
  const result: Record<string, unknown> = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (result[key] === undefined && property.default !== undefined) result[key] = structuredClone(property.default);
    if (result[key] !== undefined) result[key] = applySchemaDefaults(property, result[key]);
  }
  if (schema.additionalProperties) {
    for (const key of Object.keys(result)) result[key] = applySchemaDefaults(schema.additionalProperties, result[key]);
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
  const crd = crdsByKind[object.kind];
  if (!crd) throw new Error(`withDefaults: unknown kind "${object.kind}"; expected one of ${Object.keys(crdsByKind).join(', ')}`);
  return applySchemaDefaults(crd.spec.versions[0].schema.openAPIV3Schema, object) as T;
}
