import { createHash } from 'node:crypto';
import {
  CreateLaunchTemplateCommand,
  DeleteLaunchTemplateCommand,
  DescribeLaunchTemplatesCommand,
  paginateDescribeLaunchTemplates,
  type EC2Client,
  type Filter,
  type RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import { canonicalJson } from '../canonical-json.js';
import type { Clock } from '../clock.js';
import { hasErrorCode } from '../errors.js';
import { ownershipTags, TagKeys, toAwsTags } from './tags.js';

/** Launch templates not used for this long may be deleted by {@link LaunchTemplates.deleteUnused}. */
export const LAUNCH_TEMPLATE_IDLE_MS = 10 * 60_000;

/**
 * Content-addressed hash of a launch template: identical content (AMI, user data, block devices,
 * metadata options, security groups, instance profile, tags) gives the identical name, so a
 * template is found and reused instead of created again.
 */
export function launchTemplateHash(clusterName: string, data: RequestLaunchTemplateData): string {
  return createHash('sha256').update(clusterName).update('\0').update(canonicalJson(data)).digest('hex').slice(0, 32);
}

export function launchTemplateName(clusterName: string, data: RequestLaunchTemplateData): string {
  return `karpenter.k8s.aws/${launchTemplateHash(clusterName, data)}`;
}

/**
 * The cluster's launch templates: one per distinct content, named by its hash, tagged with the
 * cluster and EC2NodeClass; deleted when idle or when their EC2NodeClass goes away.
 */
export class LaunchTemplates {
  private readonly lastUsed = new Map<string, number>();

  constructor(
    private readonly ec2: EC2Client,
    private readonly clusterName: string,
    private readonly clock: Clock,
  ) {}

  /** Returns the name of a template with exactly this content, creating it when none exists. */
  async ensure(nodeClassName: string, data: RequestLaunchTemplateData): Promise<string> {
    const name = launchTemplateName(this.clusterName, data);
    const known = this.lastUsed.has(name);
    this.lastUsed.set(name, this.clock());
    if (known || (await this.exists(name))) return name;
    try {
      await this.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: name,
          LaunchTemplateData: data,
          TagSpecifications: [
            {
              ResourceType: 'launch-template',
              Tags: toAwsTags({ ...ownershipTags(this.clusterName), [TagKeys.nodeClass]: nodeClassName }),
            },
          ],
        }),
      );
    } catch (error) {
      if (!hasErrorCode(error, 'InvalidLaunchTemplateName.AlreadyExistsException')) {
        this.forget(name);
        throw error;
      }
    }
    return name;
  }

  /** Drops what this process knows about a template, so the next `ensure` checks AWS again. */
  forget(name: string): void {
    this.lastUsed.delete(name);
  }

  /** Names of the cluster's templates (optionally of one EC2NodeClass). */
  async list(nodeClassName?: string): Promise<string[]> {
    const Filters: Filter[] = [{ Name: `tag:${TagKeys.cluster(this.clusterName)}`, Values: ['owned'] }];
    if (nodeClassName) Filters.push({ Name: `tag:${TagKeys.nodeClass}`, Values: [nodeClassName] });
    const names: string[] = [];
    for await (const page of paginateDescribeLaunchTemplates({ client: this.ec2 }, { Filters })) {
      for (const template of page.LaunchTemplates ?? []) names.push(template.LaunchTemplateName!);
    }
    return names.sort();
  }

  /** Deletes templates this process has not used within `idleMs` (all of the cluster's unknown ones after a restart). */
  async deleteUnused(idleMs = LAUNCH_TEMPLATE_IDLE_MS): Promise<string[]> {
    const now = this.clock();
    const idle = (await this.list()).filter((name) => now - (this.lastUsed.get(name) ?? -Infinity) >= idleMs);
    for (const name of idle) await this.delete(name);
    return idle;
  }

  /** Deletes every template of an EC2NodeClass that is going away. */
  async deleteForNodeClass(nodeClassName: string): Promise<string[]> {
    const names = await this.list(nodeClassName);
    for (const name of names) await this.delete(name);
    return names;
  }

  private async delete(name: string): Promise<void> {
    this.forget(name);
    try {
      await this.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: name }));
    } catch (error) {
      if (!hasErrorCode(error, 'InvalidLaunchTemplateName.NotFoundException', 'InvalidLaunchTemplateId.NotFound')) throw error;
    }
  }

  private async exists(name: string): Promise<boolean> {
    try {
      const out = await this.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] }));
      return (out.LaunchTemplates?.length ?? 0) > 0;
    } catch (error) {
      if (hasErrorCode(error, 'InvalidLaunchTemplateName.NotFoundException', 'InvalidLaunchTemplateId.NotFound')) return false;
      throw error;
    }
  }
}
