import { createHash } from 'node:crypto';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  DeleteInstanceProfileCommand,
  GetInstanceProfileCommand,
  RemoveRoleFromInstanceProfileCommand,
  type IAMClient,
  type InstanceProfile,
} from '@aws-sdk/client-iam';
import { hasErrorCode } from '../errors.js';

export const INSTANCE_PROFILE_TAGS = {
  cluster: (clusterName: string) => `kubernetes.io/cluster/${clusterName}`,
  nodeClass: 'karpenter.k8s.aws/ec2nodeclass',
  region: 'topology.kubernetes.io/region',
} as const;

/** The name of the instance profile the provider manages for an EC2NodeClass (stable, ≤ 128 characters). */
export function instanceProfileName(clusterName: string, region: string, nodeClassName: string): string {
  const digest = createHash('sha256').update(`${clusterName}/${region}/${nodeClassName}`).digest('hex').slice(0, 20);
  return `${clusterName.slice(0, 100)}_${digest}`;
}

/** A role given as a name, a path or an ARN (`arn:aws:iam::1234:role/path/Name`) → its name. */
export function roleName(role: string): string {
  return role.slice(role.lastIndexOf('/') + 1);
}

/**
 * Instance profiles created from an EC2NodeClass's `role`: created once, tagged with the
 * cluster and EC2NodeClass, reused when they exist (also after a crash between create and
 * add-role), their role replaced when `role` changes, and deleted with the EC2NodeClass.
 */
export class InstanceProfiles {
  constructor(
    private readonly iam: IAMClient,
    private readonly clusterName: string,
    private readonly region: string,
  ) {}

  /** Makes sure the profile exists and holds exactly `role`; returns its name. */
  async ensure(nodeClassName: string, role: string): Promise<string> {
    const name = instanceProfileName(this.clusterName, this.region, nodeClassName);
    const wanted = roleName(role);
    let profile = await this.find(name);
    if (!profile) {
      try {
        await this.iam.send(
          new CreateInstanceProfileCommand({
            InstanceProfileName: name,
            Tags: [
              { Key: INSTANCE_PROFILE_TAGS.cluster(this.clusterName), Value: 'owned' },
              { Key: INSTANCE_PROFILE_TAGS.nodeClass, Value: nodeClassName },
              { Key: INSTANCE_PROFILE_TAGS.region, Value: this.region },
            ],
          }),
        );
      } catch (error) {
        // Another replica (or our previous life) created it between our read and write.
        if (!hasErrorCode(error, 'EntityAlreadyExists')) throw error;
      }
      profile = await this.find(name);
    }
    const roles = profile?.Roles?.map((r) => r.RoleName!) ?? [];
    if (roles.length === 1 && roles[0] === wanted) return name;
    for (const other of roles) {
      await this.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: other }));
    }
    await this.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: wanted }));
    return name;
  }

  /** Checks that a user-managed instance profile exists (the provider never modifies it). */
  async exists(name: string): Promise<boolean> {
    return (await this.find(name)) !== undefined;
  }

  /** Deletes the profile of an EC2NodeClass that is going away; already gone is success. */
  async delete(nodeClassName: string): Promise<void> {
    const name = instanceProfileName(this.clusterName, this.region, nodeClassName);
    const profile = await this.find(name);
    if (!profile) return;
    for (const role of profile.Roles ?? []) {
      await this.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: role.RoleName! }));
    }
    try {
      await this.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name }));
    } catch (error) {
      if (!hasErrorCode(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
    }
  }

  private async find(name: string): Promise<InstanceProfile | undefined> {
    try {
      return (await this.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }))).InstanceProfile;
    } catch (error) {
      if (hasErrorCode(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
      throw error;
    }
  }
}
