import { describe, expect, it } from 'vitest';
import { instanceDrift } from './drift.js';
import type { Ec2Instance } from './instances.js';

const instance: Ec2Instance = {
  id: 'i-1',
  instanceType: 'm5.large',
  zone: 'us-west-2a',
  capacityType: 'on-demand',
  imageId: 'ami-1',
  subnetId: 'subnet-1',
  securityGroupIds: ['sg-2', 'sg-1'],
  state: 'running',
  privateDnsName: '',
  tags: {},
};
const status = {
  amis: [{ id: 'ami-1', requirements: [] }],
  subnets: [{ id: 'subnet-1', zone: 'us-west-2a' }],
  securityGroups: [{ id: 'sg-1' }, { id: 'sg-2' }],
};

describe('instanceDrift', () => {
  it('reports nothing while the instance matches', () => {
    expect(instanceDrift(instance, status)).toBeUndefined();
    expect(instanceDrift(instance, undefined)).toBeUndefined();
  });

  it('reports AMI, subnet and security-group drift with a reason and detail', () => {
    expect(instanceDrift(instance, { ...status, amis: [{ id: 'ami-2', requirements: [] }] })).toMatchObject({ reason: 'AMIDrifted', detail: expect.stringContaining('ami-2') });
    expect(instanceDrift(instance, { ...status, subnets: [{ id: 'subnet-9', zone: 'us-west-2a' }] })?.reason).toBe('SubnetDrifted');
    expect(instanceDrift(instance, { ...status, securityGroups: [{ id: 'sg-1' }] })).toMatchObject({
      reason: 'SecurityGroupDrifted',
      detail: 'instance i-1 has security groups [sg-1, sg-2]; the EC2NodeClass selects [sg-1]',
    });
  });
});
