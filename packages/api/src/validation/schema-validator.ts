import type { StructuralSchema } from '../crd/structural.js';
import { movedFieldHint, renamedValueHint } from './migration-hints.js';
import { fieldPath, indexPath, type ValidationProblem } from './problem.js';

export interface SchemaProblem extends ValidationProblem {
  /**
   * The API server skips every CEL rule when a problem of this kind exists (missing field,
   * wrong type, unsupported value, too long, too many): the rules could not run on such input.
   */
  readonly blocking: boolean;
}

const dateTime = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const quantity = 'a quantity such as 500m, 2, 4Gi or 100M';

const patterns = new Map<string, RegExp>();
function matches(pattern: string, text: string): boolean {
  let regex = patterns.get(pattern);
  if (!regex) patterns.set(pattern, (regex = new RegExp(pattern)));
  return regex.test(text);
}

const typeOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Edit distance between two (short) field names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known field an unknown one was probably meant to be (a typo or wrong case), for "did you mean" hints. */
function closest(unknown: string, known: string[]): string | undefined {
  const lower = unknown.toLowerCase();
  const [best] = known
    .map((k) => ({ k, d: distance(lower, k.toLowerCase()) }))
    .filter(({ d }) => d <= Math.max(1, Math.floor(unknown.length / 4)))
    .sort((x, y) => x.d - y.d);
  return best?.k;
}

/**
 * Checks a value against a structural schema the way the API server's OpenAPI validation does,
 * reporting every problem (not only the first). Unknown fields are reported too, as
 * `kubectl apply` (strict field validation) rejects them.
 */
export function validateSchema(schema: StructuralSchema, value: unknown, path: string): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const add = (rule: string, message: string, blocking: boolean, at = path) => problems.push({ path: at, message, rule, blocking });
  const hint = schema.description ? ` (${schema.description})` : '';

  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) add('type', `Invalid value: ${value}: must be an integer or ${quantity}`, true);
    } else if (typeof value === 'string') {
      if (schema.pattern && !matches(schema.pattern, value)) add('pattern', `Invalid value: "${value}": must be ${quantity}`, false);
    } else {
      add('type', `Invalid value: must be of type integer or string (${quantity}), got ${typeOf(value)}`, true);
    }
    return problems;
  }

  const actual = typeOf(value);
  const expected = schema.type;
  const typeMatches =
    expected === undefined ||
    actual === expected ||
    (expected === 'number' && actual === 'integer') ||
    (expected === 'object' && actual === 'object' && isPlainObject(value));
  if (!typeMatches) {
    add('type', `Invalid value: must be of type ${expected}, got ${actual}${actual === 'string' && expected === 'integer' ? ' (remove the quotes)' : ''}`, true);
    return problems;
  }

  switch (expected) {
    case 'string': {
      const text = value as string;
      if (schema.enum && !schema.enum.includes(text)) {
        const hint = renamedValueHint(path, text);
        add('enum', `Unsupported value: "${text}": supported values: ${schema.enum.map((v) => `"${v}"`).join(', ')}${hint ? ` (${hint})` : ''}`, true);
      }
      if (schema.maxLength !== undefined && text.length > schema.maxLength) {
        add('maxLength', `Too long: may not be more than ${schema.maxLength} characters (has ${text.length})`, true);
      }
      if (schema.minLength !== undefined && text.length < schema.minLength) {
        add('minLength', `Invalid value: "${text}": should be at least ${schema.minLength} chars long`, false);
      }
      if (schema.pattern && !matches(schema.pattern, text)) {
        add('pattern', `Invalid value: "${text}": should match '${schema.pattern}'${hint}`, false);
      }
      if (schema.format === 'date-time' && !dateTime.test(text)) {
        add('format', `Invalid value: "${text}": must be an RFC 3339 date-time such as 2024-01-31T12:00:00Z`, false);
      }
      break;
    }
    case 'integer':
    case 'number': {
      const n = value as number;
      if (schema.minimum !== undefined && n < schema.minimum) add('minimum', `Invalid value: ${n}: should be greater than or equal to ${schema.minimum}`, false);
      if (schema.maximum !== undefined && n > schema.maximum) add('maximum', `Invalid value: ${n}: should be less than or equal to ${schema.maximum}`, false);
      break;
    }
    case 'array': {
      const items = value as unknown[];
      if (schema.maxItems !== undefined && items.length > schema.maxItems) {
        add('maxItems', `Too many: ${items.length}: must have at most ${schema.maxItems} items`, true);
      }
      if (schema.minItems !== undefined && items.length < schema.minItems) {
        add('minItems', `Invalid value: ${items.length}: should have at least ${schema.minItems} items`, false);
      }
      if (schema.items) items.forEach((item, i) => problems.push(...validateSchema(schema.items!, item, indexPath(path, i))));
      break;
    }
    case 'object': {
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object);
      if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
        add('maxProperties', `Too many: ${keys.length}: must have at most ${schema.maxProperties} items`, true);
      }
      for (const required of schema.required ?? []) {
        if (object[required] === undefined || object[required] === null) {
          add('required', `Required value: add '${required}'${schema.properties?.[required]?.description ? ` (${schema.properties[required].description})` : ''}`, true, fieldPath(path, required));
        }
      }
      if (schema.properties) {
        const known = Object.keys(schema.properties);
        for (const key of keys) {
          const child = schema.properties[key];
          // The API server validates object metadata itself; the CRD schema only adds rules on the name.
          if (!child && path === 'metadata') continue;
          if (!child) {
            const at = fieldPath(path, key);
            const suggestion = closest(key, known);
            const fix = movedFieldHint(at) ?? (suggestion ? `did you mean "${suggestion}"?` : `known fields are ${known.join(', ')}`);
            add('unknown', `unknown field "${key}": ${fix}`, false, at);
          } else if (object[key] !== null && object[key] !== undefined) {
            problems.push(...validateSchema(child, object[key], fieldPath(path, key)));
          }
        }
      } else if (schema.additionalProperties) {
        for (const key of keys) problems.push(...validateSchema(schema.additionalProperties, object[key], fieldPath(path, key)));
      }
      break;
    }
  }
  return problems;
}
