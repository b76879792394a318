import type { NodeClaim } from '@karpenter-ts/api';
import { Labels } from '@karpenter-ts/api';

export function nodePoolOf(nodeClaim: NodeClaim): string {
  return nodeClaim.metadata.labels?.[Labels.nodePool] ?? '';
}

/** RFC 3339 timestamps arrive as strings from the API server; 0 when absent. */
export function timeOf(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'string' ? Date.parse(value) : 0;
}
