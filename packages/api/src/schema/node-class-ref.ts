import { Type, type Static } from '@sinclair/typebox';
import { celRules } from './common.js';

const notEmpty = (field: string) => celRules({ rule: "self != ''", message: `nodeClassRef.${field} may not be empty` });

/** Points a NodePool or NodeClaim at its node class, e.g. `{group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}`. */
export const NodeClassReference = Type.Object(
  {
    group: Type.String({ maxLength: 253, pattern: '^[^/]*$', ...notEmpty('group') }),
    kind: Type.String({ maxLength: 63, pattern: '^[^/]*$', ...notEmpty('kind') }),
    name: Type.String({ maxLength: 253, pattern: '^[^/]*$', ...notEmpty('name') }),
  },
  { additionalProperties: false },
);
export type NodeClassReference = Static<typeof NodeClassReference>;
