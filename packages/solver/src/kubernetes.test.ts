import type { NodeClaim, NodePool } from '@karpenter-ts/api';
import { describe, expectTypeOf, it } from 'vitest';
import type { NodeClaimLike, NodePoolLike } from './kubernetes.js';

describe('structural object types', () => {
  it('accept the api package NodePool and NodeClaim as they are', () => {
    expectTypeOf<NodePool>().toExtend<NodePoolLike>();
    expectTypeOf<NodeClaim>().toExtend<NodeClaimLike>();
  });
});
