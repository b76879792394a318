import type { DriftReason, EC2NodeClassStatus } from '@karpenter-ts/api';
import type { Ec2Instance } from './instances.js';

/** A drift reason with the detail a person reads in events and logs. */
export interface Drift {
  readonly reason: DriftReason;
  readonly detail: string;
}

/**
 * Whether an instance no longer matches what its EC2NodeClass resolves to today: its AMI is not
 * among the resolved AMIs, its subnet not among the subnets, or its security groups differ.
 * Nothing is reported while a status field is not resolved yet.
 */
export function instanceDrift(instance: Ec2Instance, status: EC2NodeClassStatus | undefined): Drift | undefined {
  const amis = status?.amis?.map((a) => a.id) ?? [];
  if (amis.length && !amis.includes(instance.imageId)) {
    return { reason: 'AMIDrifted', detail: `instance ${instance.id} runs ${instance.imageId}; the EC2NodeClass now resolves ${amis.join(', ')}` };
  }
  const subnets = status?.subnets?.map((s) => s.id) ?? [];
  if (subnets.length && !subnets.includes(instance.subnetId)) {
    return { reason: 'SubnetDrifted', detail: `instance ${instance.id} is in ${instance.subnetId}, which the subnetSelectorTerms no longer select` };
  }
  const groups = (status?.securityGroups?.map((g) => g.id) ?? []).sort();
  const actual = [...instance.securityGroupIds].sort();
  if (groups.length && groups.join(',') !== actual.join(',')) {
    return { reason: 'SecurityGroupDrifted', detail: `instance ${instance.id} has security groups [${actual.join(', ')}]; the EC2NodeClass selects [${groups.join(', ')}]` };
  }
  return undefined;
}
