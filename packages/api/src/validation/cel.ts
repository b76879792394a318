import { Environment } from '@marcbachmann/cel-js';
import type { StructuralSchema } from '../crd/structural.js';
import { fieldPath, indexPath, type ValidationProblem } from './problem.js';

/**
 * The CEL environment of the API server, as far as our rules need it: standard CEL plus the
 * Kubernetes regex extension's `find`. Every rule in the CRDs must evaluate here (a unit test
 * runs all of them), so offline validation and the API server agree.
 */
const regexes = new Map<string, RegExp>();
function find(text: string, pattern: string): string {
  let regex = regexes.get(pattern);
  if (!regex) regexes.set(pattern, (regex = new RegExp(pattern)));
  return regex.exec(text)?.[0] ?? '';
}
const environment = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false }).registerFunction(
  'string.find(string): string',
  find,
);

type Program = ReturnType<typeof environment.parse>;
const programs = new Map<string, Program>();
function program(rule: string): Program {
  let compiled = programs.get(rule);
  if (!compiled) {
    compiled = environment.parse(rule);
    programs.set(rule, compiled);
  }
  return compiled;
}

/** Checks that every rule compiles in the offline CEL environment (used by tests). */
export function compileRule(rule: string): void {
  program(rule);
}

const isTransitionRule = (rule: string) => /\boldSelf\b/.test(rule);
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON → CEL values, typed by the schema: integers become CEL ints (bigint). */
function toCel(schema: StructuralSchema, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'number') return Number.isInteger(value) && (schema.type === 'integer' || schema['x-kubernetes-int-or-string']) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map((item) => (schema.items ? toCel(schema.items, item) : item));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => {
          const child = schema.properties?.[k] ?? schema.additionalProperties;
          return [k, child ? toCel(child, v) : v];
        }),
    );
  }
  return value;
}

/**
 * Evaluates every `x-kubernetes-validations` rule of the schema against the value, like the
 * API server: each rule sees its node as `self`; transition rules (using `oldSelf`) run only
 * when an old object is given and holds a value at the same place.
 */
export function evaluateRules(schema: StructuralSchema, value: unknown, path: string, oldValue?: unknown): ValidationProblem[] {
  if (value === null || value === undefined) return [];
  const problems: ValidationProblem[] = [];
  const rules = schema['x-kubernetes-validations'] ?? [];
  if (rules.length > 0) {
    const self = toCel(schema, value);
    const oldSelf = oldValue === undefined || oldValue === null ? undefined : toCel(schema, oldValue);
    for (const { rule, message, fieldPath: rulePath } of rules) {
      if (isTransitionRule(rule) && oldSelf === undefined) continue;
      const at = rulePath ? `${path}${rulePath}` : path;
      try {
        if (program(rule)({ self, oldSelf }) !== true) problems.push({ path: at, message, rule });
      } catch (error) {
        problems.push({ path: at, message: `${message} (the rule could not be evaluated: ${(error as Error).message.split('\n')[0]})`, rule });
      }
    }
  }
  if (Array.isArray(value) && schema.items) {
    // List items are not correlated with the old list: transition rules inside lists do not run.
    value.forEach((item, i) => problems.push(...evaluateRules(schema.items!, item, indexPath(path, i))));
  } else if (isPlainObject(value)) {
    const old = isPlainObject(oldValue) ? oldValue : undefined;
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schema.properties?.[key] ?? schema.additionalProperties;
      if (childSchema) problems.push(...evaluateRules(childSchema, child, fieldPath(path, key), old?.[key]));
    }
  }
  return problems;
}
