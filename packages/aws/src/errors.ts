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

/** The object an error concerns, so every message names what a person has to look at. */
export type ErrorSubject = `${'EC2NodeClass' | 'NodeClaim' | 'NodePool' | 'cluster'} ${string}`;

/**
 * `EC2NodeClass default: resolving subnets: ec2:DescribeSubnets was denied (UnauthorizedOperation): grant …`
 */
export function subjectMessage(subject: ErrorSubject, what: string, cause?: unknown): string {
  if (cause === undefined) return `${subject}: ${what}`;
  const detail = isAwsError(cause) ? describeAwsError(cause) : cause instanceof Error ? cause.message : String(cause);
  return `${subject}: ${what}: ${detail}`;
}

/** True for errors thrown by an AWS SDK client (they carry the IAM action the middleware tagged). */
export function isAwsError(error: unknown): boolean {
  return error instanceof Error && (error as ActionTaggedError).awsAction !== undefined;
}

/** True when the error is an authorization failure (so retrying will not help). */
export function isAuthError(error: unknown): boolean {
  return AUTH_ERROR_CODES.has(awsErrorCode(error) ?? '');
}

/** An AWS failure re-thrown with the object it concerns in the message; the SDK error is the cause. */
export class AwsCallError extends Error {
  constructor(subject: ErrorSubject, what: string, cause: unknown) {
    super(subjectMessage(subject, what, cause), { cause });
    this.name = 'AwsCallError';
  }
}
