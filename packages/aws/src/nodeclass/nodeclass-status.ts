import type { Condition, EC2NodeClass, EC2NodeClassStatus } from '@karpenter-ts/api';
import { Labels } from '@karpenter-ts/api';
import type { AwsClients } from '../clients.js';
import type { Clock } from '../clock.js';
import { describeAwsError, isAuthError, isAwsError } from '../errors.js';
import type { LaunchTemplates } from '../launch/launch-templates.js';
import { nodeClassAmiFamily, resolveAmis, type AmiResolverOptions, type ResolvedAmi } from './amis.js';
import type { InstanceProfiles } from './instance-profiles.js';
import { resolveSecurityGroups } from './security-groups.js';
import { describeTerms } from './selector-terms.js';
import { resolveSubnets } from './subnets.js';

export const NodeClassConditionTypes = {
  subnetsReady: 'SubnetsReady',
  securityGroupsReady: 'SecurityGroupsReady',
  amisReady: 'AMIsReady',
  instanceProfileReady: 'InstanceProfileReady',
  ready: 'Ready',
} as const;

export interface NodeClassResolverOptions extends AmiResolverOptions {
  readonly clusterName: string;
  readonly region: string;
  readonly clock: Clock;
}

/** The outcome of resolving one part of an EC2NodeClass: the value, or why a person must act. */
type Part<T> = { ok: true; value: T } | { ok: false; reason: string; message: string; value?: T | undefined };

/**
 * Resolves an EC2NodeClass against AWS (subnets, security groups, AMIs, instance profile) into
 * the status the controller writes back, with one condition per part and `Ready`. A part that
 * fails keeps its previous status value, so a transient AWS error does not stop launches.
 */
export class NodeClassResolver {
  constructor(
    private readonly clients: AwsClients,
    private readonly instanceProfiles: InstanceProfiles,
    private readonly launchTemplates: LaunchTemplates,
    private readonly options: NodeClassResolverOptions,
  ) {}

  /**
   * @example
   * nodeClass.status = await resolver.reconcile(nodeClass); // then write the status subresource
   */
  async reconcile(nodeClass: EC2NodeClass): Promise<EC2NodeClassStatus> {
    const { spec } = nodeClass;
    const previous = nodeClass.status ?? {};
    const [subnets, securityGroups, amis, instanceProfile] = await Promise.all([
      this.part('subnetSelectorTerms', async () => {
        const found = await resolveSubnets(this.clients.ec2, spec.subnetSelectorTerms);
        return found.length
          ? ok(found.map((s) => ({ id: s.id, zone: s.zone, zoneID: s.zoneID })))
          : notFound('SubnetsNotFound', `no subnet in ${this.options.region} matches subnetSelectorTerms ${describeTerms(spec.subnetSelectorTerms)}: tag the subnets (e.g. karpenter.sh/discovery: ${this.options.clusterName}) or fix the terms`, []);
      }),
      this.part('securityGroupSelectorTerms', async () => {
        const found = await resolveSecurityGroups(this.clients.ec2, spec.securityGroupSelectorTerms);
        return found.length
          ? ok(found)
          : notFound('SecurityGroupsNotFound', `no security group matches securityGroupSelectorTerms ${describeTerms(spec.securityGroupSelectorTerms)}: tag the groups or fix the terms`, []);
      }),
      this.part('amiSelectorTerms', async () => {
        const alias = spec.amiSelectorTerms.find((t) => t.alias)?.alias;
        nodeClassAmiFamily(spec);
        const found = await resolveAmis(this.clients.ec2, this.clients.ssm, spec.amiSelectorTerms, this.options);
        return found.length
          ? ok<AmiStatus[]>(found.map(amiStatus))
          : notFound('AMINotFound', `no available AMI matches amiSelectorTerms ${describeTerms(spec.amiSelectorTerms)}${alias ? ` for Kubernetes ${this.options.kubernetesVersion}` : ''}: check the terms, the AMI owner and that the image is shared with this account`, []);
      }),
      this.part(spec.role ? 'role' : 'instanceProfile', async () => {
        if (spec.role) return ok(await this.instanceProfiles.ensure(nodeClass.metadata.name!, spec.role));
        if (spec.instanceProfile && (await this.instanceProfiles.exists(spec.instanceProfile))) return ok(spec.instanceProfile);
        return notFound('InstanceProfileNotFound', `instance profile "${spec.instanceProfile}" does not exist: create it or set spec.role to let the controller manage one`, undefined);
      }),
    ]);
    const now = new Date(this.options.clock()).toISOString();
    const generation = nodeClass.metadata.generation;
    const parts: [string, Part<unknown>][] = [
      [NodeClassConditionTypes.subnetsReady, subnets],
      [NodeClassConditionTypes.securityGroupsReady, securityGroups],
      [NodeClassConditionTypes.amisReady, amis],
      [NodeClassConditionTypes.instanceProfileReady, instanceProfile],
    ];
    const failing = parts.filter(([, p]) => !p.ok);
    const conditions: Condition[] = parts.map(([type, p]) =>
      condition(previous.conditions, type, p.ok ? { status: 'True', reason: type, message: '' } : { status: 'False', reason: p.reason, message: p.message }, now, generation),
    );
    conditions.push(
      condition(
        previous.conditions,
        NodeClassConditionTypes.ready,
        failing.length === 0
          ? { status: 'True', reason: 'Ready', message: '' }
          : { status: 'False', reason: 'NotReady', message: failing.map(([type, p]) => `${type}=False: ${p.ok ? '' : p.message}`).join('; ') },
        now,
        generation,
      ),
    );
    return {
      ...previous,
      subnets: valueOr(subnets, previous.subnets),
      securityGroups: valueOr(securityGroups, previous.securityGroups),
      amis: valueOr<AmiStatus[]>(amis, previous.amis),
      instanceProfile: valueOr(instanceProfile, previous.instanceProfile),
      conditions,
    };
  }

  /** Cleans up what the provider created for an EC2NodeClass that is being deleted. */
  async finalize(nodeClass: EC2NodeClass): Promise<void> {
    const name = nodeClass.metadata.name!;
    await this.launchTemplates.deleteForNodeClass(name);
    if (nodeClass.spec.role) await this.instanceProfiles.delete(name);
  }

  private async part<T>(field: string, resolve: () => Promise<Part<T>>): Promise<Part<T>> {
    try {
      return await resolve();
    } catch (error) {
      if (!isAwsError(error)) return { ok: false, reason: 'InvalidSpec', message: `spec.${field}: ${(error as Error).message}` };
      const reason = isAuthError(error) ? 'AccessDenied' : 'AWSError';
      return { ok: false, reason, message: `resolving spec.${field}: ${describeAwsError(error)}` };
    }
  }
}

function ok<T>(value: T): Part<T> {
  return { ok: true, value };
}

/** Nothing matched: the status field is cleared (an empty list, or no instance profile). */
function notFound<T>(reason: string, message: string, cleared: T): Part<T> {
  return { ok: false, reason, message, value: cleared };
}

/** The part's value for the status: what it resolved or cleared; the previous value when AWS failed. */
function valueOr<T>(part: Part<T>, previous: T | undefined): T | undefined {
  return 'value' in part ? part.value : previous;
}

type AmiStatus = NonNullable<EC2NodeClassStatus['amis']>[number];

function amiStatus(ami: ResolvedAmi): AmiStatus {
  return { id: ami.id, name: ami.name, requirements: [{ key: Labels.arch, operator: 'In' as const, values: [ami.architecture] }] };
}

/** A condition that keeps its lastTransitionTime while its status does not change. */
function condition(
  previous: readonly Condition[] | undefined,
  type: string,
  state: Pick<Condition, 'status' | 'reason' | 'message'>,
  now: string,
  observedGeneration: number | undefined,
): Condition {
  const before = previous?.find((c) => c.type === type);
  const lastTransitionTime = before && before.status === state.status ? before.lastTransitionTime : now;
  return { type, ...state, lastTransitionTime, ...(observedGeneration === undefined ? {} : { observedGeneration }) };
}
