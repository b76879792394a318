import {
  DescribeInstancesCommand,
  paginateDescribeInstances,
  TerminateInstancesCommand,
  type EC2Client,
  type Filter,
  type Instance,
} from '@aws-sdk/client-ec2';
import type { CapacityType } from '@karpenter-ts/api';
import { hasErrorCode } from './errors.js';
import { TagKeys } from './launch/tags.js';

/** States of an instance that still exists as a node (or is on its way to or from being one). */
export const LIVE_INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];

/** What the provider needs to know about one EC2 instance. */
export interface Ec2Instance {
  readonly id: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: CapacityType;
  readonly imageId: string;
  readonly subnetId: string;
  readonly securityGroupIds: readonly string[];
  readonly state: string;
  readonly launchTime?: Date;
  readonly privateDnsName: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** `aws:///us-west-2a/i-0123456789abcdef0`, as the kubelet's AWS cloud provider sets it on the Node. */
export function providerID(instance: Pick<Ec2Instance, 'zone' | 'id'>): string {
  return `aws:///${instance.zone}/${instance.id}`;
}

/** The instance id in a providerID, or undefined when it is not an EC2 providerID. */
export function instanceIdFromProviderID(id: string): string | undefined {
  return /^aws:\/\/\/[^/]*\/(i-[0-9a-z]+)$/.exec(id)?.[1];
}

/** The cluster's EC2 instances, found by its ownership tags. */
export class Instances {
  constructor(
    private readonly ec2: EC2Client,
    private readonly clusterName: string,
  ) {}

  /** The instance if it exists and is not terminated. */
  async get(instanceId: string): Promise<Ec2Instance | undefined> {
    try {
      const out = await this.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const instance = out.Reservations?.flatMap((r) => r.Instances ?? [])[0];
      return instance && LIVE_INSTANCE_STATES.includes(instance.State?.Name ?? '') ? toEc2Instance(instance) : undefined;
    } catch (error) {
      if (hasErrorCode(error, 'InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed')) return undefined;
      throw error;
    }
  }

  /** A live instance already launched for this NodeClaim (a create retried after a crash finds it). */
  async findByNodeClaim(nodeClaimName: string): Promise<Ec2Instance | undefined> {
    return (await this.describe([{ Name: `tag:${TagKeys.nodeClaim}`, Values: [nodeClaimName] }]))[0];
  }

  /** Every live instance this cluster's autoscaler launched. */
  async list(): Promise<Ec2Instance[]> {
    return this.describe([{ Name: 'tag-key', Values: [TagKeys.nodePool] }]);
  }

  /** Terminates instances; returns the ids that existed (already gone is not an error). */
  async terminate(instanceIds: readonly string[]): Promise<string[]> {
    if (instanceIds.length === 0) return [];
    try {
      const out = await this.ec2.send(new TerminateInstancesCommand({ InstanceIds: [...instanceIds] }));
      return (out.TerminatingInstances ?? []).map((i) => i.InstanceId!);
    } catch (error) {
      if (!hasErrorCode(error, 'InvalidInstanceID.NotFound')) throw error;
      if (instanceIds.length === 1) return [];
      // Some of several are gone: terminate the rest one by one.
      const terminated: string[] = [];
      for (const id of instanceIds) terminated.push(...(await this.terminate([id])));
      return terminated;
    }
  }

  private async describe(filters: Filter[]): Promise<Ec2Instance[]> {
    const Filters = [
      { Name: `tag:${TagKeys.cluster(this.clusterName)}`, Values: ['owned'] },
      { Name: 'instance-state-name', Values: LIVE_INSTANCE_STATES },
      ...filters,
    ];
    const instances: Ec2Instance[] = [];
    for await (const page of paginateDescribeInstances({ client: this.ec2 }, { Filters })) {
      for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []).map(toEc2Instance));
    }
    return instances.sort((a, b) => a.id.localeCompare(b.id));
  }
}

function toEc2Instance(instance: Instance): Ec2Instance {
  return {
    id: instance.InstanceId!,
    instanceType: instance.InstanceType ?? '',
    zone: instance.Placement?.AvailabilityZone ?? '',
    capacityType: instance.InstanceLifecycle === 'spot' ? 'spot' : 'on-demand',
    imageId: instance.ImageId ?? '',
    subnetId: instance.SubnetId ?? '',
    securityGroupIds: (instance.SecurityGroups ?? []).map((g) => g.GroupId!).sort(),
    state: instance.State?.Name ?? '',
    launchTime: instance.LaunchTime,
    privateDnsName: instance.PrivateDnsName ?? '',
    tags: Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])),
  };
}
