/**
 * Building blocks shared by the three kinds. Every schema here is TypeBox, so one definition
 * yields the TypeScript type (`Static<>`) and the CRD's OpenAPI schema, which `validate()` then
 * checks offline. Cross-field rules are CEL (`x-kubernetes-validations`), evaluated by the API
 * server and, offline, by `validate()`.
 */
import { Kind, Type, TypeRegistry, type SchemaOptions, type Static, type TSchema } from '@sinclair/typebox';

/**
 * One CEL rule as the API server reads it; `message` must tell the user what to fix. Rules
 * that mention `oldSelf` are transition rules: they only run on update.
 */
export interface CelRule {
  readonly rule: string;
  readonly message: string;
  readonly reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  readonly fieldPath?: string;
}

export const celRules = (...rules: CelRule[]) => ({ 'x-kubernetes-validations': rules });

/** A string-valued closed set, rendered as `enum` in the CRD. */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ ...options, [Kind]: 'StringEnum', type: 'string', enum: [...values] });
}
// So that TypeBox's own Value.Check understands the enum too.
TypeRegistry.Set<{ enum: string[] }>('StringEnum', (schema, value) => typeof value === 'string' && schema.enum.includes(value));

/** A map with string keys (labels, annotations, tags, …), rendered as `additionalProperties` in the CRD. */
export function StringMap<T extends TSchema>(value: T, options: SchemaOptions = {}) {
  return Type.Record(Type.String(), value, options);
}

const quantityPattern =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** A Kubernetes quantity ("500m", "4Gi", 2): integer or string, as `x-kubernetes-int-or-string`. */
export function Quantity(options: SchemaOptions = {}) {
  return Type.Union([Type.Integer(), Type.String({ pattern: quantityPattern })], {
    ...options,
    'x-kubernetes-int-or-string': true,
    pattern: quantityPattern,
  });
}

/** A map from resource name to quantity (limits, requests, capacity, allocatable). */
export const ResourceList = (options: SchemaOptions = {}) => StringMap(Quantity(), options);

export const labelKeyPattern =
  '^(([a-zA-Z0-9]|[a-zA-Z0-9][-a-zA-Z0-9]*[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][-a-zA-Z0-9]*[a-zA-Z0-9]))*(/))?([A-Za-z0-9][-A-Za-z0-9_.]{0,61}[A-Za-z0-9]|[A-Za-z0-9])$';
export const labelValuePattern = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';

/** `720h`, `1h30m`, `90s`, or `Never` (disables the behaviour). */
export const durationOrNeverPattern = '^(([0-9]+(s|m|h))+|Never)$';
export const durationPattern = '^([0-9]+(s|m|h))+$';

/** A duration string checked by CEL so the API server's message is readable, not a regex dump. */
export function DurationOrNever(field: string, options: SchemaOptions = {}) {
  return Type.String({
    maxLength: 32,
    ...options,
    ...celRules({
      rule: `self.matches('${durationOrNeverPattern}')`,
      message: `${field} must be a duration such as 30s, 10m or 720h (combinations like 1h30m are fine) or "Never"`,
    }),
  });
}

export function Duration(field: string, options: SchemaOptions = {}) {
  return Type.String({
    maxLength: 32,
    ...options,
    ...celRules({
      rule: `self.matches('${durationPattern}')`,
      message: `${field} must be a duration such as 30s, 10m or 48h (combinations like 1h30m are fine)`,
    }),
  });
}

export const TaintEffect = StringEnum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const, {
  description: 'NoSchedule, PreferNoSchedule or NoExecute.',
});

export const Taint = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 316, pattern: labelKeyPattern }),
    value: Type.Optional(Type.String({ maxLength: 63, pattern: labelValuePattern })),
    effect: TaintEffect,
    timeAdded: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type Taint = Static<typeof Taint>;

export const Operator = StringEnum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte'] as const);

export const Condition = Type.Object(
  {
    type: Type.String({
      maxLength: 316,
      pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    }),
    status: StringEnum(['True', 'False', 'Unknown'] as const),
    observedGeneration: Type.Optional(Type.Integer({ minimum: 0, format: 'int64' })),
    lastTransitionTime: Type.String({ format: 'date-time' }),
    reason: Type.String({ minLength: 1, maxLength: 1024, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' }),
    message: Type.String({ maxLength: 32768 }),
  },
  { additionalProperties: false },
);
export type Condition = Static<typeof Condition>;

export const Conditions = Type.Array(Condition, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });

/**
 * Object metadata as a manifest carries it. The API server owns its validation (the CRD
 * schema is just `type: object`), so offline we only check the fields users get wrong.
 */
export const ObjectMeta = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
    namespace: Type.Optional(Type.String()),
    labels: Type.Optional(StringMap(Type.String())),
    annotations: Type.Optional(StringMap(Type.String())),
    uid: Type.Optional(Type.String()),
    resourceVersion: Type.Optional(Type.String()),
    generation: Type.Optional(Type.Integer()),
    creationTimestamp: Type.Optional(Type.String()),
    deletionTimestamp: Type.Optional(Type.String()),
    finalizers: Type.Optional(Type.Array(Type.String())),
    ownerReferences: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
  },
  { additionalProperties: true },
);
export type ObjectMeta = Static<typeof ObjectMeta>;
