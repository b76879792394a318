/** The operators a node selector requirement may use; Gte and Lte are Karpenter v1 additions. */
export type RequirementOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | 'Gte' | 'Lte';

/** A node selector requirement as written in NodePools, NodeClaims and pods (minValues only in NodePools/NodeClaims). */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: RequirementOperator;
  readonly values?: readonly string[];
  readonly minValues?: number;
}
