import { crdsByKind } from '../crd/definitions.js';
import { applySchemaDefaults, withDefaults } from '../defaults.js';
import type { EC2NodeClass } from '../schema/ec2nodeclass.js';
import type { NodeClaim } from '../schema/nodeclaim.js';
import type { NodePool } from '../schema/nodepool.js';
import { evaluateRules } from './cel.js';
import { ValidationError, type ValidationProblem } from './problem.js';
import { validateSchema } from './schema-validator.js';

export interface ValidateOptions {
  /** The stored object, when validating an update: enables the immutability / transition rules. */
  readonly oldObject?: unknown;
}

const problem = (path: string, message: string, rule: string): ValidationProblem => ({ path, message, rule });

/**
 * Validates a NodePool, NodeClaim or EC2NodeClass manifest offline, as the API server would
 * on create (or update, given `oldObject`): defaults, then the CRD's OpenAPI schema, then the
 * CRD's CEL rules. Returns every problem with its field path; an empty list means valid.
 *
 * @example
 * for (const p of validate(yaml.parse(text))) console.error(`${p.path}: ${p.message}`);
 */
export function validate(object: unknown, options: ValidateOptions = {}): ValidationProblem[] {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    return [problem('', 'a manifest must be an object with apiVersion, kind, metadata and spec', 'type')];
  }
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  const crd = typeof kind === 'string' ? crdsByKind[kind] : undefined;
  if (!crd) {
    return [problem('kind', `Unsupported kind ${JSON.stringify(kind)}: expected one of ${Object.keys(crdsByKind).join(', ')}`, 'kind')];
  }
  const expectedApiVersion = `${crd.spec.group}/${crd.spec.versions[0].name}`;
  if (apiVersion !== expectedApiVersion) {
    return [
      problem(
        'apiVersion',
        `${kind} is served as apiVersion ${expectedApiVersion}, not ${JSON.stringify(apiVersion)}${typeof apiVersion === 'string' && apiVersion.endsWith('beta1') ? ': migrate the manifest to v1' : ''}`,
        'apiVersion',
      ),
    ];
  }
  const schema = crd.spec.versions[0].schema.openAPIV3Schema;
  const defaulted = applySchemaDefaults(schema, object);
  const problems: ValidationProblem[] = [];
  problems.push(...validateName(defaulted as { metadata?: { name?: unknown; generateName?: unknown } }));

  const schemaProblems = validateSchema(schema, defaulted, '');
  problems.push(...schemaProblems.map(({ path, message, rule }) => ({ path, message, rule })));
  if (schemaProblems.some((p) => p.blocking)) {
    problems.push(
      problem('', 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation', 'blocked'),
    );
    return problems;
  }
  const oldDefaulted = options.oldObject === undefined ? undefined : applySchemaDefaults(schema, options.oldObject);
  problems.push(...evaluateRules(schema, defaulted, '', oldDefaulted));
  return problems;
}

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The API server's own check of object names (before the CRD's schema): a DNS subdomain. */
function validateName({ metadata }: { metadata?: { name?: unknown; generateName?: unknown } }): ValidationProblem[] {
  const name = metadata?.name;
  if (name === undefined || name === '') {
    return metadata?.generateName ? [] : [problem('metadata.name', 'Required value: name or generateName is required', 'required')];
  }
  if (typeof name !== 'string' || name.length > 253 || !dnsSubdomain.test(name)) {
    return [
      problem(
        'metadata.name',
        `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (at most 253 characters, e.g. 'general-purpose')`,
        'name',
      ),
    ];
  }
  return [];
}

type Kinds = NodePool | NodeClaim | EC2NodeClass;

/**
 * Validates and returns the object with its defaults applied, typed; throws a ValidationError
 * listing every problem otherwise.
 *
 * @example
 * const pool = assertValid<NodePool>(yaml.parse(text)); // pool.spec.disruption.budgets is set
 */
export function assertValid<T extends Kinds>(object: unknown, options: ValidateOptions = {}): T {
  const problems = validate(object, options);
  if (problems.length > 0) {
    const { kind, metadata } = (object ?? {}) as { kind?: string; metadata?: { name?: string } };
    throw new ValidationError(`${kind ?? 'object'} "${metadata?.name ?? '<unnamed>'}"`, problems);
  }
  return withDefaults(object as T);
}
