import { describe, expect, it } from 'vitest';
import { fleetInput, type FleetRequest } from './fleet.js';

const request: FleetRequest = {
  nodeClaimName: 'web-1',
  capacityType: 'spot',
  overrides: [
    { instanceType: 'c5.large', zone: 'a', subnetId: 'subnet-a', launchTemplateName: 'lt-x86' },
    { instanceType: 'm6g.large', zone: 'a', subnetId: 'subnet-a', launchTemplateName: 'lt-arm' },
    { instanceType: 'm5.large', zone: 'b', subnetId: 'subnet-b', launchTemplateName: 'lt-x86' },
  ],
  tags: { 'karpenter.sh/nodeclaim': 'web-1' },
};

describe('fleetInput', () => {
  it('asks for one instant spot instance with price-capacity-optimized, grouped by launch template, ranked by price', () => {
    const input = fleetInput(request);
    expect(input).toMatchObject({
      Type: 'instant',
      TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'spot' },
      SpotOptions: { AllocationStrategy: 'price-capacity-optimized' },
    });
    expect(input.OnDemandOptions).toBeUndefined();
    expect(input.LaunchTemplateConfigs).toEqual([
      {
        LaunchTemplateSpecification: { LaunchTemplateName: 'lt-x86', Version: '$Latest' },
        Overrides: [
          { InstanceType: 'c5.large', SubnetId: 'subnet-a', AvailabilityZone: 'a', Priority: 0 },
          { InstanceType: 'm5.large', SubnetId: 'subnet-b', AvailabilityZone: 'b', Priority: 2 },
        ],
      },
      { LaunchTemplateSpecification: { LaunchTemplateName: 'lt-arm', Version: '$Latest' }, Overrides: [{ InstanceType: 'm6g.large', SubnetId: 'subnet-a', AvailabilityZone: 'a', Priority: 1 }] },
    ]);
    expect(input.TagSpecifications?.map((t) => t.ResourceType)).toEqual(['instance', 'volume', 'fleet']);
  });

  it('uses lowest-price for on-demand', () => {
    expect(fleetInput({ ...request, capacityType: 'on-demand' })).toMatchObject({ OnDemandOptions: { AllocationStrategy: 'lowest-price' } });
  });

  it('derives the client token from the NodeClaim and the request, so a retry of the same launch is idempotent', () => {
    const token = fleetInput(request).ClientToken;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(fleetInput({ ...request }).ClientToken).toBe(token);
    expect(fleetInput({ ...request, nodeClaimName: 'web-2' }).ClientToken).not.toBe(token);
    expect(fleetInput({ ...request, overrides: request.overrides.slice(1) }).ClientToken).not.toBe(token);
  });
});
