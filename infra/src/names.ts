import { createHash } from 'node:crypto';
import type { InfraConfig } from './config.js';

// Names of the AWS resources, derived from the cluster name and kept within AWS limits for any
// valid cluster name (EKS allows 100 characters): a name that would be too long keeps its prefix,
// suffix and as much of the cluster name as fits, followed by a short hash of the full name, so
// two long cluster names never collide.

/** AWS name length limits this app must stay within. */
export const NAME_LIMITS = {
  iamRole: 64,
  iamPolicy: 128,
  instanceProfile: 128,
  sqsQueue: 80,
  eventBridgeRule: 64,
} as const;

const HASH_LENGTH = 8;

/**
 * `${prefix}${clusterName}${suffix}`, or, when that exceeds `max`, the cluster name shortened and
 * followed by `-` and 8 hex characters of the SHA-256 of the full name.
 *
 * ```ts
 * boundedName('Karpenter-', 'a'.repeat(100), '-SpotInterruption', 64); // 'Karpenter-aaaa…a-1b2c3d4e-SpotInterruption'
 * ```
 */
export function boundedName(prefix: string, clusterName: string, suffix: string, max: number): string {
  const full = `${prefix}${clusterName}${suffix}`;
  if (full.length <= max) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  const room = max - prefix.length - suffix.length - HASH_LENGTH - 1;
  if (room < 1) throw new Error(`cannot fit a name with prefix "${prefix}" and suffix "${suffix}" in ${max} characters`);
  return `${prefix}${clusterName.slice(0, room)}-${hash}${suffix}`;
}

/** The four interruption event kinds the controller consumes, by the rule suffix. */
export const INTERRUPTION_EVENT_KINDS = ['SpotInterruption', 'RebalanceRecommendation', 'ScheduledChange', 'InstanceStateChange'] as const;
export type InterruptionEventKind = (typeof INTERRUPTION_EVENT_KINDS)[number];

/** The controller's managed policies, one per concern. */
export const POLICY_CONCERNS = ['NodeLifecycle', 'LaunchTemplates', 'IAMIntegration', 'EKSIntegration', 'Interruption', 'ResourceDiscovery'] as const;
export type PolicyConcern = (typeof POLICY_CONCERNS)[number];

export interface ResourceNames {
  nodeRole: string;
  nodeInstanceProfile: string;
  controllerRole: string;
  policies: Record<PolicyConcern, string>;
  interruptionQueue: string;
  rules: Record<InterruptionEventKind, string>;
}

export function resourceNames(config: InfraConfig): ResourceNames {
  const cluster = config.clusterName;
  const nodeRole = config.nodeRoleName ?? boundedName('KarpenterNodeRole-', cluster, '', NAME_LIMITS.iamRole);
  return {
    nodeRole,
    nodeInstanceProfile: nodeRole,
    controllerRole: boundedName('KarpenterController-', cluster, '', NAME_LIMITS.iamRole),
    policies: Object.fromEntries(
      POLICY_CONCERNS.map((concern) => [concern, boundedName(`KarpenterController${concern}-`, cluster, '', NAME_LIMITS.iamPolicy)]),
    ) as Record<PolicyConcern, string>,
    interruptionQueue: config.interruptionQueueName ?? boundedName('Karpenter-', cluster, '', NAME_LIMITS.sqsQueue),
    rules: Object.fromEntries(
      INTERRUPTION_EVENT_KINDS.map((kind) => [kind, boundedName('Karpenter-', cluster, `-${kind}`, NAME_LIMITS.eventBridgeRule)]),
    ) as Record<InterruptionEventKind, string>,
  };
}
