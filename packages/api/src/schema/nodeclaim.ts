import { Type, type Static } from '@sinclair/typebox';
import { celRules, Conditions, Duration, DurationOrNever, ObjectMeta, ResourceList, Taint } from './common.js';
import { NodeClassReference } from './node-class-ref.js';
import { Requirements } from './requirement.js';

export const NodeClaimSpec = Type.Object(
  {
    taints: Type.Optional(Type.Array(Taint)),
    startupTaints: Type.Optional(Type.Array(Taint)),
    requirements: Requirements,
    resources: Type.Optional(
      Type.Object({ requests: Type.Optional(ResourceList()) }, { additionalProperties: false }),
    ),
    nodeClassRef: NodeClassReference,
    expireAfter: DurationOrNever('expireAfter', { default: '720h' }),
    terminationGracePeriod: Type.Optional(Duration('terminationGracePeriod')),
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
