import { Type, type Static } from '@sinclair/typebox';
import { Labels } from '../labels.js';
import { celRules, labelKeyPattern, labelValuePattern, Operator, type CelRule } from './common.js';

/** The part of a label key before the `/` (the whole key when it has no prefix). */
const domainOf = (key: string) => `${key}.find('^([^/]+)')`;
const list = (values: readonly string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;

const allowedKubernetesLabels = [
  'beta.kubernetes.io/instance-type',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'failure-domain.beta.kubernetes.io/zone',
  Labels.zone,
  Labels.region,
  Labels.instanceType,
  Labels.arch,
  Labels.os,
  Labels.windowsBuild,
];
const allowedKarpenterLabels = [Labels.capacityType, Labels.nodePool];
/** The AWS provider's well-known labels; any other `karpenter.k8s.aws/*` key is reserved. */
export const allowedAwsLabels: readonly string[] = Object.values(Labels).filter(
  (key) => key.startsWith('karpenter.k8s.aws/instance-'),
);

/**
 * Rules on one label key, written over the CEL expression `key` so the same rule checks a
 * requirement's key (`self`) and every key of a labels map (`self.all(x, …)`).
 */
export function restrictedLabelKeyRules(key: string): { rule: string; message: string }[] {
  const domain = domainOf(key);
  return [
    {
      rule: `${key} in ${list(allowedKubernetesLabels)} || ${key} == '${Labels.hostname}' || ${domain}.endsWith('node.kubernetes.io') || ${domain}.endsWith('node-restriction.kubernetes.io') || !${domain}.endsWith('kubernetes.io')`,
      message:
        'label domain "kubernetes.io" is restricted: use a well-known label (kubernetes.io/arch, kubernetes.io/os, topology.kubernetes.io/zone, topology.kubernetes.io/region, node.kubernetes.io/instance-type, node.kubernetes.io/windows-build) or a key under node.kubernetes.io/ or node-restriction.kubernetes.io/',
    },
    {
      rule: `${domain}.endsWith('kops.k8s.io') || !${domain}.endsWith('k8s.io')`,
      message: 'label domain "k8s.io" is restricted: only keys under kops.k8s.io/ may be used',
    },
    {
      rule: `${key} in ${list(allowedKarpenterLabels)} || !${domain}.endsWith('karpenter.sh')`,
      message: 'label domain "karpenter.sh" is restricted: only karpenter.sh/capacity-type and karpenter.sh/nodepool may be used',
    },
    {
      rule: `${key} != '${Labels.hostname}'`,
      message: 'label "kubernetes.io/hostname" is restricted: Kubernetes sets it on every node',
    },
    {
      rule: `${key} in ${list(allowedAwsLabels)} || !${domain}.endsWith('karpenter.k8s.aws')`,
      message:
        'label domain "karpenter.k8s.aws" is restricted: only the well-known karpenter.k8s.aws/instance-* labels (e.g. karpenter.k8s.aws/instance-family) may be used',
    },
  ];
}

const setOperators = ['In', 'NotIn'];
const existenceOperators = ['Exists', 'DoesNotExist'];
const boundOperators = ['Gt', 'Lt', 'Gte', 'Lte'];

const requirementRules: CelRule[] = [
  {
    rule: `!(self.operator in ${list(setOperators)}) || (has(self.values) && size(self.values) > 0)`,
    message: "requirements with operator 'In' or 'NotIn' need at least one entry in 'values'",
  },
  {
    rule: `!(self.operator in ${list(existenceOperators)}) || !has(self.values) || size(self.values) == 0`,
    message: "requirements with operator 'Exists' or 'DoesNotExist' take no 'values': remove them",
  },
  {
    rule: `!(self.operator in ${list(boundOperators)}) || (has(self.values) && size(self.values) == 1 && self.values[0].matches('^[0-9]+$'))`,
    message: "requirements with operator 'Gt', 'Lt', 'Gte' or 'Lte' need exactly one value, a non-negative integer such as \"4\"",
  },
  {
    rule: `!has(self.minValues) || self.operator != 'In' || (has(self.values) && size(self.values) >= self.minValues)`,
    message: "'minValues' is larger than the number of 'values': list at least minValues values or lower minValues",
  },
];

/** A node selector requirement with Karpenter's `minValues` (NodePool template and NodeClaim). */
export const NodeSelectorRequirementWithMinValues = Type.Object(
  {
    key: Type.String({ maxLength: 316, pattern: labelKeyPattern, ...celRules(...restrictedLabelKeyRules('self')) }),
    operator: Operator,
    values: Type.Optional(
      Type.Array(Type.String({ maxLength: 63, pattern: labelValuePattern }), { 'x-kubernetes-list-type': 'atomic' }),
    ),
    minValues: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false, ...celRules(...requirementRules) },
);
export type NodeSelectorRequirementWithMinValues = Static<typeof NodeSelectorRequirementWithMinValues>;

export const Requirements = Type.Array(NodeSelectorRequirementWithMinValues, { maxItems: 100 });

/** A plain requirement (status fields, e.g. the requirements an AMI satisfies): no rules. */
export const PlainRequirement = Type.Object(
  {
    key: Type.String(),
    operator: Operator,
    values: Type.Optional(Type.Array(Type.String(), { 'x-kubernetes-list-type': 'atomic' })),
  },
  { additionalProperties: false },
);
