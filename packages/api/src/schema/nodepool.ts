import { Type, type Static } from '@sinclair/typebox';
import {
  celRules,
  Conditions,
  DurationOrNever,
  labelKeyPattern,
  labelValuePattern,
  ObjectMeta,
  ResourceList,
  StringEnum,
  StringMap,
} from './common.js';
import { NodeClassReference } from './node-class-ref.js';
import { nodeClaimTemplateFields } from './nodeclaim.js';
import { restrictedLabelKeyRules } from './requirement.js';

export const DisruptionReason = StringEnum(['Underutilized', 'Empty', 'Drifted'] as const);
export type DisruptionReason = Static<typeof DisruptionReason>;

export const Budget = Type.Object(
  {
    nodes: Type.String({
      default: '10%',
      maxLength: 32,
      description: 'How many nodes may be disrupted at once: a count ("5") or a percentage of the pool ("10%").',
      ...celRules({
        rule: "self.matches('^((100|[0-9]{1,2})%|[0-9]+)$')",
        message: 'nodes must be a node count such as "5" or a percentage from "0%" to "100%"',
      }),
    }),
    schedule: Type.Optional(
      Type.String({
        maxLength: 128,
        description: 'Cron schedule (UTC) when the budget starts being active, e.g. "0 9 * * mon-fri" or "@daily".',
        ...celRules({
          rule: "self.matches('^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))$|^(\\\\S+\\\\s+){4}\\\\S+$')",
          message:
            'schedule must be a cron expression with five fields (minute hour day-of-month month day-of-week, in UTC) or a macro such as @daily',
        }),
      }),
    ),
    duration: Type.Optional(
      Type.String({
        maxLength: 32,
        description: 'How long the budget is active after each schedule hit, e.g. "8h" or "1h30m".',
        ...celRules({
          rule: "self.matches('^(([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?$')",
          message: 'duration must be hours and/or minutes such as 30m, 8h or 1h30m',
        }),
      }),
    ),
    reasons: Type.Optional(
      Type.Array(DisruptionReason, { maxItems: 3, description: 'The disruptions this budget limits; all of them when omitted.' }),
    ),
  },
  {
    additionalProperties: false,
    ...celRules({
      rule: 'has(self.schedule) == has(self.duration)',
      message: "'schedule' and 'duration' go together: a scheduled budget needs a duration, and a duration needs a schedule",
    }),
  },
);
export type Budget = Static<typeof Budget>;

export const ConsolidationPolicy = StringEnum(['WhenEmpty', 'WhenEmptyOrUnderutilized'] as const, {
  default: 'WhenEmptyOrUnderutilized',
  description: 'WhenEmpty removes only empty nodes; WhenEmptyOrUnderutilized also removes or replaces nodes whose pods fit elsewhere or on a cheaper node.',
});
export type ConsolidationPolicy = Static<typeof ConsolidationPolicy>;

export const Disruption = Type.Object(
  {
    consolidateAfter: DurationOrNever('consolidateAfter', {
      default: '0s',
      description: 'How long a node must stay empty or underutilized (no pod scheduled or removed) before it is consolidated; "Never" disables consolidation.',
    }),
    consolidationPolicy: ConsolidationPolicy,
    budgets: Type.Array(Budget, {
      maxItems: 50,
      default: [{ nodes: '10%' }],
      description: 'Caps on how many nodes may be disrupted at once; when several are active, the most restrictive applies.',
    }),
  },
  {
    additionalProperties: false,
    default: { consolidateAfter: '0s' },
    description: 'When and how fast Karpenter may remove or replace the nodes of this pool.',
  },
);
export type Disruption = Static<typeof Disruption>;

const mapRule = (rule: { rule: string; message: string }) => ({ rule: `self.all(x, ${rule.rule})`, message: rule.message });

export const NodeClaimTemplateMetadata = Type.Object(
  {
    labels: Type.Optional(
      StringMap(Type.String({ maxLength: 63, pattern: labelValuePattern }), {
        maxProperties: 100,
        ...celRules(
          {
            rule: `self.all(x, size(x) <= 316 && x.matches('${labelKeyPattern.replaceAll('\\', '\\\\')}'))`,
            message:
              'label keys must be an optional DNS-subdomain prefix and "/" followed by a name of at most 63 alphanumeric characters, "-", "_" or "." (e.g. team or example.com/team)',
          },
          ...restrictedLabelKeyRules('x').map(mapRule),
          {
            rule: "self.all(x, x != 'karpenter.sh/nodepool')",
            message: 'label "karpenter.sh/nodepool" is restricted: Karpenter sets it to the NodePool\'s name',
          },
        ),
      }),
    ),
    annotations: Type.Optional(StringMap(Type.String())),
  },
  { additionalProperties: false },
);

export const NodeClaimTemplateSpec = Type.Object(
  {
    ...nodeClaimTemplateFields,
    nodeClassRef: Type.Object(NodeClassReference.properties, {
      additionalProperties: false,
      ...celRules(
        {
          rule: 'self.group == oldSelf.group',
          message: 'nodeClassRef.group is immutable: create a new NodePool to use a node class of another group',
        },
        {
          rule: 'self.kind == oldSelf.kind',
          message: 'nodeClassRef.kind is immutable: create a new NodePool to use a node class of another kind',
        },
      ),
    }),
  },
  { additionalProperties: false },
);

export const NodeClaimTemplate = Type.Object(
  {
    metadata: Type.Optional(NodeClaimTemplateMetadata),
    spec: NodeClaimTemplateSpec,
  },
  { additionalProperties: false, description: 'What every NodeClaim (and so every node) of this pool looks like.' },
);
export type NodeClaimTemplate = Static<typeof NodeClaimTemplate>;

export const NodePoolSpec = Type.Object(
  {
    template: NodeClaimTemplate,
    disruption: Disruption,
    limits: Type.Optional(ResourceList({ description: 'Caps on the total resources of the pool, e.g. {cpu: 1000, memory: 1000Gi, nodes: 50}.' })),
    weight: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, format: 'int32', description: 'Priority among NodePools: higher weights are tried first.' }),
    ),
    replicas: Type.Optional(
      Type.Integer({ minimum: 0, format: 'int64', description: 'Static capacity: keep exactly this many nodes.' }),
    ),
  },
  {
    additionalProperties: false,
    ...celRules(
      {
        rule: 'has(self.replicas) == has(oldSelf.replicas)',
        message:
          'a NodePool cannot switch between static (replicas set) and dynamic (replicas unset) provisioning: create a new NodePool instead',
      },
      {
        rule: "!has(self.replicas) || !has(self.limits) || size(self.limits) == 0 || (size(self.limits) == 1 && 'nodes' in self.limits)",
        message: "a static NodePool (replicas set) supports only the 'nodes' limit",
      },
      {
        rule: '!has(self.replicas) || !has(self.weight)',
        message: "'weight' has no effect on a static NodePool (replicas set): remove it",
      },
    ),
  },
);
export type NodePoolSpec = Static<typeof NodePoolSpec>;

export const NodePoolStatus = Type.Object(
  {
    resources: Type.Optional(ResourceList()),
    nodes: Type.Optional(Type.Integer({ minimum: 0, format: 'int64' })),
    nodeClassObservedGeneration: Type.Optional(Type.Integer({ format: 'int64' })),
    conditions: Type.Optional(Conditions),
  },
  { additionalProperties: false },
);
export type NodePoolStatus = Static<typeof NodePoolStatus>;

/** `karpenter.sh/v1` NodePool, as stored (defaults applied). */
export const NodePool = Type.Object(
  {
    apiVersion: Type.Literal('karpenter.sh/v1'),
    kind: Type.Literal('NodePool'),
    metadata: ObjectMeta,
    spec: NodePoolSpec,
    status: Type.Optional(NodePoolStatus),
  },
  { additionalProperties: false },
);
export type NodePool = Static<typeof NodePool>;
