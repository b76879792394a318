import { createHash } from 'node:crypto';
import { CreateFleetCommand, type CreateFleetCommandInput, type CreateFleetError, type EC2Client } from '@aws-sdk/client-ec2';
import type { CapacityType } from '@karpenter-ts/api';
import { canonicalJson } from '../canonical-json.js';
import { toAwsTags } from './tags.js';

/** One override of a fleet request: an instance type in a zonal subnet, through a launch template. */
export interface FleetOverride {
  readonly instanceType: string;
  readonly zone: string;
  readonly subnetId: string;
  readonly launchTemplateName: string;
}

export interface FleetRequest {
  /** Makes the request idempotent: a retry of the same launch gets the same token. */
  readonly nodeClaimName: string;
  readonly capacityType: CapacityType;
  /** Cheapest first. */
  readonly overrides: readonly FleetOverride[];
  /** Applied to the instance, its volumes and the fleet request. */
  readonly tags: Readonly<Record<string, string>>;
}

/** An offering the fleet could not launch, and why. */
export interface FleetLaunchError {
  readonly code: string;
  readonly message: string;
  readonly instanceType?: string;
  readonly zone?: string;
  readonly subnetId?: string;
}

export interface FleetResult {
  readonly instanceIds: readonly string[];
  readonly errors: readonly FleetLaunchError[];
}

/**
 * The CreateFleet request for one node: type `instant`, target capacity 1,
 * price-capacity-optimized for spot and lowest-price for on-demand, one launch template config
 * per template with its overrides in price order (each override carries its rank as priority),
 * tags on instance, volume and fleet, and a client token derived from the NodeClaim and content.
 */
export function fleetInput(request: FleetRequest): CreateFleetCommandInput {
  const byTemplate = new Map<string, FleetOverride[]>();
  for (const override of request.overrides) {
    byTemplate.set(override.launchTemplateName, [...(byTemplate.get(override.launchTemplateName) ?? []), override]);
  }
  const rank = new Map(request.overrides.map((o, i) => [o, i]));
  const tags = toAwsTags(request.tags);
  const input: CreateFleetCommandInput = {
    Type: 'instant',
    TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: request.capacityType === 'spot' ? 'spot' : 'on-demand' },
    ...(request.capacityType === 'spot'
      ? { SpotOptions: { AllocationStrategy: 'price-capacity-optimized' } }
      : { OnDemandOptions: { AllocationStrategy: 'lowest-price' } }),
    LaunchTemplateConfigs: [...byTemplate].map(([LaunchTemplateName, overrides]) => ({
      LaunchTemplateSpecification: { LaunchTemplateName, Version: '$Latest' },
      Overrides: overrides.map((o) => ({ InstanceType: o.instanceType as never, SubnetId: o.subnetId, AvailabilityZone: o.zone, Priority: rank.get(o) })),
    })),
    TagSpecifications: (['instance', 'volume', 'fleet'] as const).map((ResourceType) => ({ ResourceType, Tags: tags })),
  };
  const token = createHash('sha256').update(request.nodeClaimName).update('\0').update(canonicalJson(input)).digest('hex').slice(0, 64);
  return { ...input, ClientToken: token };
}

/** Sends the fleet request and reports the launched instance ids and every per-offering error. */
export async function createFleet(ec2: EC2Client, request: FleetRequest): Promise<FleetResult> {
  const out = await ec2.send(new CreateFleetCommand(fleetInput(request)));
  return {
    instanceIds: (out.Instances ?? []).flatMap((i) => i.InstanceIds ?? []),
    errors: (out.Errors ?? []).map(toLaunchError),
  };
}

function toLaunchError(error: CreateFleetError): FleetLaunchError {
  const override = error.LaunchTemplateAndOverrides?.Overrides;
  return {
    code: error.ErrorCode ?? 'Unknown',
    message: error.ErrorMessage ?? '',
    instanceType: override?.InstanceType,
    zone: override?.AvailabilityZone,
    subnetId: override?.SubnetId,
  };
}
