import type { CapacityType, InstanceType, NodeClaim } from '@karpenter-ts/api';
import { CreateError, InsufficientCapacityError } from '@karpenter-ts/api';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { AwsCallError, CAPACITY_ERROR_CODES, isAuthError, isAwsError, subjectMessage, SUBNET_EXHAUSTED_ERROR_CODE, type ErrorSubject } from '../errors.js';
import type { Ec2Instance, Instances } from '../instances.js';
import type { Logger } from '../logger.js';
import { subnetPerZone, type ResolvedSubnet } from '../nodeclass/subnets.js';
import type { UnavailableOfferings } from '../unavailable-offerings.js';
import { createFleet, type FleetLaunchError, type FleetOverride } from './fleet.js';
import type { LaunchTemplates } from './launch-templates.js';
import { chooseCapacityType, launchableOverrides, type OfferingFilter } from './overrides.js';

const LAUNCH_TEMPLATE_NOT_FOUND = new Set(['InvalidLaunchTemplateName.NotFoundException', 'InvalidLaunchTemplateId.NotFound']);

/** Fleet calls per create at most; each retry leaves out what the previous one reported out of capacity. */
const MAX_FLEET_ATTEMPTS = 4;

export interface LaunchRequest {
  readonly nodeClaim: NodeClaim;
  readonly nodeClassName: string;
  /** Instance types the NodeClaim may become, already narrowed to its requirements and resources. */
  readonly instanceTypes: readonly InstanceType[];
  readonly subnets: readonly ResolvedSubnet[];
  readonly tags: Readonly<Record<string, string>>;
  /** The launch template content for one instance type and capacity type (AMI by architecture, user data …). */
  readonly launchTemplateFor: (instanceType: InstanceType, capacityType: CapacityType) => Promise<string>;
}

export interface Launched {
  readonly instance: Ec2Instance;
  /** Undefined only for an instance found from an earlier attempt whose type is no longer offered. */
  readonly instanceType?: InstanceType;
}

/**
 * Launches one instance for a NodeClaim with CreateFleet, caching capacity errors per offering
 * (and address exhaustion per subnet) and retrying with what remains. An instance already
 * launched for the NodeClaim is returned instead of launching a second one, and an instance
 * whose launch cannot be completed is terminated, so nothing leaks.
 */
export class InstanceLauncher {
  constructor(
    private readonly ec2: EC2Client,
    private readonly instances: Instances,
    private readonly unavailable: UnavailableOfferings,
    private readonly launchTemplates: LaunchTemplates,
    private readonly logger: Logger,
  ) {}

  async launch(request: LaunchRequest): Promise<Launched> {
    const name = request.nodeClaim.metadata.name!;
    const subject: ErrorSubject = `NodeClaim ${name}`;
    const existing = await this.call(subject, 'looking for an instance launched earlier', () => this.instances.findByNodeClaim(name));
    if (existing) {
      this.logger.info({ nodeclaim: name, instance: existing.id }, 'reusing the instance already launched for this NodeClaim');
      return { instance: existing, instanceType: request.instanceTypes.find((t) => t.name === existing.instanceType) };
    }
    if (request.instanceTypes.length === 0) {
      throw new InsufficientCapacityError(`${subject}: no instance type fits its resource requests and has an AMI for its architecture in EC2NodeClass ${request.nodeClassName}`);
    }
    const failures: (FleetLaunchError & { capacityType: CapacityType })[] = [];
    for (let attempt = 1; attempt <= MAX_FLEET_ATTEMPTS; attempt++) {
      const filter: OfferingFilter = {
        requirements: request.nodeClaim.spec.requirements,
        subnetsByZone: subnetPerZone(request.subnets, (id) => this.unavailable.isSubnetExhausted(id)),
        isUnavailable: (c, t, z) => this.unavailable.isOfferingUnavailable(c, t, z),
      };
      const capacityType = chooseCapacityType(request.instanceTypes, filter);
      if (!capacityType) break;
      const priced = launchableOverrides(request.instanceTypes, capacityType, filter);
      const templates = new Map<string, string>();
      const overrides: FleetOverride[] = [];
      for (const o of priced) {
        const launchTemplateName =
          templates.get(o.instanceType.name) ??
          (await this.call(subject, `preparing the launch template from EC2NodeClass ${request.nodeClassName}`, () =>
            request.launchTemplateFor(o.instanceType, capacityType),
          ));
        templates.set(o.instanceType.name, launchTemplateName);
        overrides.push({ instanceType: o.instanceType.name, zone: o.zone, subnetId: o.subnetId, launchTemplateName });
      }
      const result = await this.call(subject, `launching (${capacityType}, ${overrides.length} offerings)`, () =>
        createFleet(this.ec2, { nodeClaimName: name, capacityType, overrides, tags: request.tags }),
      );
      // EC2 may name only the subnet of a failed override: its zone is the subnet's.
      const errors = result.errors.map((e) => ({ ...e, capacityType, zone: e.zone ?? request.subnets.find((s) => s.id === e.subnetId)?.zone }));
      const retryable = this.recordErrors(errors, capacityType, name);
      failures.push(...errors);
      if (result.instanceIds.length > 0) return await this.complete(subject, result.instanceIds, request.instanceTypes);
      if (result.errors.some((e) => LAUNCH_TEMPLATE_NOT_FOUND.has(e.code))) {
        // Deleted behind our back: check (and create) them again on the next launch.
        for (const template of new Set(overrides.map((o) => o.launchTemplateName))) this.launchTemplates.forget(template);
      }
      if (!retryable) {
        throw new CreateError(`${subject}: CreateFleet launched nothing: ${describeFailures(result.errors)}`, result.errors[0]?.code ?? 'FleetLaunchFailed');
      }
    }
    throw new InsufficientCapacityError(
      `${subject}: no launchable offering left for ${request.instanceTypes.length} instance types${failures.length ? ` (${describeFailures(failures)})` : ''}; retried offerings stay unavailable for 3 minutes`,
      failures.map((f) => ({ instanceType: f.instanceType ?? '', zone: f.zone ?? '', capacityType: f.capacityType })),
    );
  }

  /** Marks offerings and subnets from the fleet's errors; true when something was marked (a retry can differ). */
  private recordErrors(errors: readonly FleetLaunchError[], capacityType: CapacityType, nodeClaimName: string): boolean {
    let marked = false;
    for (const error of errors) {
      if (error.code === SUBNET_EXHAUSTED_ERROR_CODE && error.subnetId) {
        this.unavailable.markSubnet(error.subnetId);
        marked = true;
      } else if (CAPACITY_ERROR_CODES.has(error.code) && error.instanceType && error.zone) {
        this.unavailable.markOffering(capacityType, error.instanceType, error.zone);
        marked = true;
      }
    }
    if (errors.length) this.logger.warn({ nodeclaim: nodeClaimName, errors: describeFailures(errors) }, 'fleet reported launch errors');
    return marked;
  }

  /** Reads the launched instance back; terminates it (and any extra) when that fails, so nothing leaks. */
  private async complete(subject: ErrorSubject, instanceIds: readonly string[], instanceTypes: readonly InstanceType[]): Promise<Launched> {
    const [instanceId, ...extra] = instanceIds;
    try {
      if (extra.length) await this.instances.terminate(extra);
      const instance = await this.instances.get(instanceId);
      if (!instance) throw new Error(`instance ${instanceId} vanished right after launch`);
      const instanceType = instanceTypes.find((t) => t.name === instance.instanceType);
      if (!instanceType) throw new Error(`fleet launched ${instance.instanceType}, which was not requested`);
      return { instance, instanceType };
    } catch (error) {
      await this.instances.terminate([instanceId]).catch((cleanup: unknown) =>
        this.logger.error({ instance: instanceId, error: String(cleanup) }, 'could not terminate an instance whose launch failed; garbage collection will retry'),
      );
      throw new AwsCallError(subject, `completing the launch of ${instanceId} failed and it was terminated`, error);
    }
  }

  private async call<T>(subject: ErrorSubject, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof AwsCallError || error instanceof CreateError) throw error;
      // Denied calls and invalid settings (e.g. spec.userData) fail the same way on every retry.
      if (isAuthError(error)) throw new CreateError(subjectMessage(subject, what, error), 'AccessDenied', { cause: error });
      if (!isAwsError(error)) throw new CreateError(subjectMessage(subject, what, error), 'InvalidConfiguration', { cause: error });
      throw new AwsCallError(subject, what, error);
    }
  }
}

function describeFailures(errors: readonly FleetLaunchError[]): string {
  return errors.map((e) => `${e.code}${e.instanceType ? ` ${e.instanceType}` : ''}${e.zone ? `/${e.zone}` : ''}${e.subnetId ? `/${e.subnetId}` : ''}`).join(', ');
}

