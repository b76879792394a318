import { describe, expect, it } from 'vitest';
import {
  CloudProviderError,
  CreateError,
  InsufficientCapacityError,
  isInsufficientCapacityError,
  isNodeClaimNotFoundError,
  NodeClaimNotFoundError,
  NodeClassNotReadyError,
} from './cloud-provider.js';

describe('CloudProvider errors', () => {
  it('are told apart by class, and keep their name through subclassing', () => {
    const notFound = new NodeClaimNotFoundError('aws:///us-west-2a/i-0123456789abcdef0');
    expect(notFound).toBeInstanceOf(CloudProviderError);
    expect(notFound.name).toBe('NodeClaimNotFoundError');
    expect(notFound.message).toContain('i-0123456789abcdef0');
    expect(isNodeClaimNotFoundError(notFound)).toBe(true);
    expect(isInsufficientCapacityError(notFound)).toBe(false);
    expect(new NodeClassNotReadyError('EC2NodeClass "default" has no subnets').name).toBe('NodeClassNotReadyError');
  });

  it('carry what the caller needs to act', () => {
    const ice = new InsufficientCapacityError('all offerings exhausted', [{ instanceType: 'm5.large', zone: 'us-west-2a', capacityType: 'spot' }]);
    expect(isInsufficientCapacityError(ice)).toBe(true);
    expect(ice.unavailable).toHaveLength(1);
    const cause = new Error('InvalidAMIID.NotFound');
    const create = new CreateError('AMI ami-123 does not exist', 'InvalidAMIID', { cause });
    expect(create.reason).toBe('InvalidAMIID');
    expect(create.cause).toBe(cause);
  });
});
