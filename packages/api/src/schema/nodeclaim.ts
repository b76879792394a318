import { Type, type Static } from '@sinclair/typebox';
import { celRules, Conditions, Duration, DurationOrNever, ObjectMeta, ResourceList, Taint } from './common.js';
import { NodeClassReference } from './node-class-ref.js';
import { Requirements } from './requirement.js';

/** The fields a NodePool's template and a NodeClaim share. */
export const nodeClaimTemplateFields = {
  taints: Type.Optional(Type.Array(Taint, { description: 'Taints every node gets; only pods that tolerate them run there.' })),
  startupTaints: Type.Optional(
    Type.Array(Taint, {
      description:
        'Taints the node starts with and a daemon (e.g. a CNI or security agent) removes when it is ready; pods need not tolerate them.',
    }),
  ),
  requirements: Requirements,
  expireAfter: DurationOrNever('expireAfter', {
    default: '720h',
    description: 'How long a node lives before it is replaced, whatever its pods or budgets say; "Never" keeps it.',
  }),
  terminationGracePeriod: Type.Optional(
    Duration('terminationGracePeriod', {
      description: 'How long draining may take; after it, remaining pods are deleted even if a PodDisruptionBudget blocks eviction.',
    }),
  ),
};

export const NodeClaimSpec = Type.Object(
  {
    ...nodeClaimTemplateFields,
    resources: Type.Optional(
      Type.Object(
        { requests: Type.Optional(ResourceList()) },
        { additionalProperties: false, description: 'The resources the pods this NodeClaim was created for request.' },
      ),
    ),
    nodeClassRef: NodeClassReference,
  },
  {
    additionalProperties: false,
    ...celRules({
      rule: 'self == oldSelf',
      message: 'spec is immutable: NodeClaims are replaced, not changed; delete this NodeClaim and let its NodePool create a new one',
    }),
  },
);
export type NodeClaimSpec = Static<typeof NodeClaimSpec>;

export const NodeClaimStatus = Type.Object(
  {
    nodeName: Type.Optional(Type.String()),
    providerID: Type.Optional(Type.String()),
    imageID: Type.Optional(Type.String()),
    capacity: Type.Optional(ResourceList()),
    allocatable: Type.Optional(ResourceList()),
    lastPodEventTime: Type.Optional(Type.String({ format: 'date-time' })),
    conditions: Type.Optional(Conditions),
  },
  { additionalProperties: false },
);
export type NodeClaimStatus = Static<typeof NodeClaimStatus>;

/** Condition types a NodeClaim goes through. */
export const NodeClaimConditionTypes = {
  launched: 'Launched',
  registered: 'Registered',
  initialized: 'Initialized',
  ready: 'Ready',
  consolidatable: 'Consolidatable',
  drifted: 'Drifted',
  drained: 'Drained',
  instanceTerminating: 'InstanceTerminating',
  disruptionReason: 'DisruptionReason',
} as const;

/** `karpenter.sh/v1` NodeClaim: one requested node. Its spec never changes after creation. */
export const NodeClaim = Type.Object(
  {
    apiVersion: Type.Literal('karpenter.sh/v1'),
    kind: Type.Literal('NodeClaim'),
    metadata: ObjectMeta,
    spec: NodeClaimSpec,
    status: Type.Optional(NodeClaimStatus),
  },
  { additionalProperties: false },
);
export type NodeClaim = Static<typeof NodeClaim>;
