import type { ActionTaggedError } from './clients.js';

/** Fleet error codes that mean "no capacity for this offering right now"; the offering is skipped for a while. */
export const CAPACITY_ERROR_CODES: ReadonlySet<string> = new Set([
  'InsufficientInstanceCapacity',
  'UnfulfillableCapacity',
  'MaxSpotInstanceCountExceeded',
  'VcpuLimitExceeded',
  'InsufficientCapacityOnOutpost',
  'Unsupported',
]);

/** A fleet error code that means one subnet is out of addresses (the zone may still have room). */
export const SUBNET_EXHAUSTED_ERROR_CODE = 'InsufficientFreeAddressesInSubnet';

const AUTH_ERROR_CODES: ReadonlySet<string> = new Set([
  'UnauthorizedOperation',
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedAccess',
  'AuthFailure',
]);

/** The error code of an AWS SDK error (`InvalidInstanceID.NotFound`, `NoSuchEntity`, …), or undefined. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: string; Code?: string; code?: string };
  return e.Code ?? e.code ?? e.name;
}

export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && codes.includes(code);
}

/**
 * One line describing an AWS failure for a person: the action that failed and, for
 * authorization failures, which permission to grant.
 */
export function describeAwsError(error: unknown): string {
  const action = (error as ActionTaggedError | undefined)?.awsAction;
  const code = awsErrorCode(error) ?? 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (AUTH_ERROR_CODES.has(code)) {
    return `${action ?? 'an AWS call'} was denied (${code}): grant "${action ?? 'the action'}" to the controller's IAM role`;
  }
  return `${action ?? 'AWS call'} failed: ${code}: ${message}`;
}

/** What an error concerns, so every message names the object a person has to look at. */
export type ErrorSubject = { readonly kind: 'EC2NodeClass' | 'NodeClaim' | 'NodePool'; readonly name: string };

/** An error about one object, with the underlying AWS failure described and kept as `cause`. */
export class AwsProviderError extends Error {
  constructor(
    readonly subject: ErrorSubject,
    what: string,
    cause?: unknown,
  ) {
    super(`${subject.kind} ${subject.name}: ${what}${cause === undefined ? '' : `: ${describeAwsError(cause)}`}`, { cause });
    this.name = 'AwsProviderError';
  }
}

/** The EC2NodeClass is not resolved (no subnets, security groups, AMIs or instance profile yet). */
export class NodeClassNotReadyError extends AwsProviderError {
  constructor(nodeClassName: string, reason: string) {
    super({ kind: 'EC2NodeClass', name: nodeClassName }, `not ready: ${reason}`);
    this.name = 'NodeClassNotReadyError';
  }
}

/** No offering of the NodeClaim's instance types could be launched; the caller may retry later. */
export class InsufficientCapacityError extends AwsProviderError {
  constructor(nodeClaimName: string, detail: string) {
    super({ kind: 'NodeClaim', name: nodeClaimName }, `insufficient capacity: ${detail}`);
    this.name = 'InsufficientCapacityError';
  }
}

/** The instance behind a NodeClaim does not exist (or is already terminated). Deleting it is then done. */
export class NodeClaimNotFoundError extends AwsProviderError {
  constructor(nodeClaimName: string, detail: string) {
    super({ kind: 'NodeClaim', name: nodeClaimName }, `instance not found: ${detail}`);
    this.name = 'NodeClaimNotFoundError';
  }
}
