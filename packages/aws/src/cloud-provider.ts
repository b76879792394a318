import type { CapacityType, CloudProvider, DriftReason, EC2NodeClass, EC2NodeClassStatus, InstanceType, NodeClaim, NodePool } from '@karpenter-ts/api';
import { CloudProviderError, defaultBlockDeviceMappings, Labels, NodeClaimNotFoundError, NodeClassNotReadyError } from '@karpenter-ts/api';
import { parseQuantity } from '@karpenter-ts/solver';
import type { CatalogFile } from './catalog/bundled-catalog.js';
import type { AwsClients } from './clients.js';
import { systemClock, type Clock } from './clock.js';
import { instanceDrift } from './drift.js';
import { AwsCallError, type ErrorSubject } from './errors.js';
import { InstanceTypeProvider } from './instance-types/instance-type-provider.js';
import { instanceIdFromProviderID, Instances, providerID, type Ec2Instance } from './instances.js';
import { InstanceLauncher } from './launch/instance-launcher.js';
import { ephemeralStorageMapping, launchTemplateData, volumeSizeGiB } from './launch/launch-template-data.js';
import { LaunchTemplates } from './launch/launch-templates.js';
import { nodeBootstrap, quantities, type ClusterAccess } from './launch/node-bootstrap-for.js';
import { launchTags, ownershipTags, TagKeys } from './launch/tags.js';
import { silentLogger, type Logger } from './logger.js';
import { nodeClassAmiFamily } from './nodeclass/amis.js';
import { InstanceProfiles } from './nodeclass/instance-profiles.js';
import { NodeClassConditionTypes, NodeClassResolver } from './nodeclass/nodeclass-status.js';
import { describeSubnetsById } from './nodeclass/subnets.js';
import { UnavailableOfferings } from './unavailable-offerings.js';

export interface AwsCloudProviderOptions extends ClusterAccess {
  readonly region: string;
  /** The cluster's Kubernetes minor version (e.g. `1.33`): selects the EKS-optimized AMIs of an alias. */
  readonly kubernetesVersion: string;
  /** Prefix of the public AMI parameters, `/aws/service` unless a test account seeds its own. */
  readonly ssmParameterPrefix?: string;
  /** `VM_MEMORY_OVERHEAD_PERCENT`. */
  readonly vmMemoryOverheadPercent?: number;
  /** VPC CNI prefix delegation (raises max pods). */
  readonly prefixDelegation?: boolean;
  /** Looks an EC2NodeClass up by name (the controller passes its watch cache). */
  readonly nodeClass: (name: string) => Promise<EC2NodeClass | undefined>;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly bundledCatalog?: CatalogFile;
}

const GiB = 2 ** 30;

/**
 * The EC2 CloudProvider: launches NodeClaims as EC2 instances with CreateFleet, reads and
 * terminates them by the cluster's tags, serves the region's instance types with live prices,
 * and resolves EC2NodeClasses (status, instance profile, launch-template cleanup).
 *
 * @example
 * const cloud = new AwsCloudProvider(createAwsClients({ region }), { region, clusterName, clusterEndpoint,
 *   clusterCABundle, kubernetesVersion: '1.33', nodeClass: (name) => cache.get(name) });
 * const launched = await cloud.create(nodeClaim);
 */
export class AwsCloudProvider implements CloudProvider {
  readonly name = 'aws';
  readonly unavailableOfferings: UnavailableOfferings;
  readonly launchTemplates: LaunchTemplates;
  readonly instances: Instances;
  private readonly instanceTypeProvider: InstanceTypeProvider;
  private readonly resolver: NodeClassResolver;
  private readonly launcher: InstanceLauncher;
  private readonly logger: Logger;

  constructor(
    private readonly clients: AwsClients,
    private readonly options: AwsCloudProviderOptions,
  ) {
    const clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.unavailableOfferings = new UnavailableOfferings(clock);
    this.launchTemplates = new LaunchTemplates(clients.ec2, options.clusterName, clock);
    this.instances = new Instances(clients.ec2, options.clusterName);
    this.instanceTypeProvider = new InstanceTypeProvider(clients, {
      region: options.region,
      clock,
      logger: this.logger,
      unavailable: this.unavailableOfferings,
      bundledCatalog: options.bundledCatalog,
    });
    const profiles = new InstanceProfiles(clients.iam, options.clusterName, options.region);
    this.resolver = new NodeClassResolver(clients, profiles, this.launchTemplates, { ...options, clock });
    this.launcher = new InstanceLauncher(clients.ec2, this.instances, this.unavailableOfferings, this.launchTemplates, this.logger);
  }

  /** Resolves an EC2NodeClass; the controller writes the result to its status subresource. */
  reconcileNodeClass(nodeClass: EC2NodeClass): Promise<EC2NodeClassStatus> {
    return this.resolver.reconcile(nodeClass);
  }

  /** Deletes the instance profile and launch templates of an EC2NodeClass being deleted (before its finalizer goes). */
  async finalizeNodeClass(nodeClass: EC2NodeClass): Promise<void> {
    try {
      await this.resolver.finalize(nodeClass);
    } catch (error) {
      throw new AwsCallError(`EC2NodeClass ${nodeClass.metadata.name}`, 'cleaning up its instance profile and launch templates', error);
    }
  }

  /** Deletes launch templates no launch used recently (call periodically). */
  deleteUnusedLaunchTemplates(): Promise<string[]> {
    return this.launchTemplates.deleteUnused();
  }

  /** Reads instance types and prices again now, instead of waiting for the 12-hour refresh. */
  refreshInstanceTypes(): Promise<void> {
    return this.instanceTypeProvider.refresh();
  }

  async getInstanceTypes(nodePool: NodePool): Promise<InstanceType[]> {
    const name = nodePool.spec.template.spec.nodeClassRef.name;
    const nodeClass = await this.options.nodeClass(name);
    if (!nodeClass) {
      throw new NodeClassNotReadyError(`NodePool ${nodePool.metadata.name}: EC2NodeClass ${name} (spec.template.spec.nodeClassRef) does not exist: create it or fix the reference`);
    }
    const types = await named(`EC2NodeClass ${name}`, `listing instance types for NodePool ${nodePool.metadata.name}`, () => this.instanceTypesFor(nodeClass));
    // Only architectures the EC2NodeClass has an AMI for can be launched (all while AMIs are unresolved).
    const architectures = new Set((nodeClass.status?.amis ?? []).map((ami) => archOf(ami.requirements)));
    return architectures.size ? types.filter((type) => architectures.has(archOf(type.requirements))) : types;
  }

  async create(nodeClaim: NodeClaim): Promise<NodeClaim> {
    const claimName = nodeClaim.metadata.name!;
    const subject: ErrorSubject = `NodeClaim ${claimName}`;
    const nodeClass = await this.readyNodeClass(nodeClaim);
    const status = nodeClass.status!;
    const family = nodeClassAmiFamily(nodeClass.spec);
    const amiByArch = new Map((status.amis ?? []).map((ami) => [archOf(ami.requirements), ami.id]));
    const requests = nodeClaim.spec.resources?.requests ?? {};
    const instanceTypes = (await named(subject, 'listing instance types', () => this.instanceTypesFor(nodeClass))).filter(
      (type) => amiByArch.has(archOf(type.requirements)) && fits(requests, type.allocatable),
    );
    const subnets = await named(subject, `reading the subnets of EC2NodeClass ${nodeClass.metadata.name}`, () =>
      describeSubnetsById(this.clients.ec2, (status.subnets ?? []).map((s) => s.id)),
    );
    const tags = launchTags({
      clusterName: this.options.clusterName,
      nodePoolName: nodeClaim.metadata.labels?.[Labels.nodePool] ?? '',
      nodeClassName: nodeClass.metadata.name!,
      nodeClaimName: claimName,
      nodeClassTags: nodeClass.spec.tags,
    });
    const blockDeviceMappings = nodeClass.spec.blockDeviceMappings ?? defaultBlockDeviceMappings(family);
    const { instance, instanceType } = await this.launcher.launch({
      nodeClaim,
      nodeClassName: nodeClass.metadata.name!,
      instanceTypes,
      subnets,
      tags,
      launchTemplateFor: (type: InstanceType, capacityType: CapacityType) =>
        this.launchTemplates.ensure(
          nodeClass.metadata.name!,
          launchTemplateData({
            amiId: amiByArch.get(archOf(type.requirements))!,
            amiFamily: family,
            nodeClass: nodeClass.spec,
            blockDeviceMappings,
            securityGroupIds: (status.securityGroups ?? []).map((g) => g.id),
            instanceProfile: status.instanceProfile!,
            bootstrap: nodeBootstrap(this.options, nodeClass, nodeClaim, type, capacityType),
            tags: { ...nodeClass.spec.tags, ...ownershipTags(this.options.clusterName), [TagKeys.nodeClass]: nodeClass.metadata.name! },
          }),
        ),
    });
    this.logger.info({ nodeclaim: claimName, instance: instance.id, instanceType: instance.instanceType, zone: instance.zone, capacityType: instance.capacityType }, 'launched instance');
    const launched = this.nodeClaimFor(instance, instanceType ?? (await this.instanceTypeOf(instance)));
    return {
      ...nodeClaim,
      metadata: { ...nodeClaim.metadata, labels: { ...nodeClaim.metadata.labels, ...launched.metadata.labels } },
      status: { ...nodeClaim.status, ...launched.status },
    };
  }

  async delete(nodeClaim: NodeClaim): Promise<void> {
    const name = nodeClaim.metadata.name!;
    const id = nodeClaim.status?.providerID ? instanceIdFromProviderID(nodeClaim.status.providerID) : undefined;
    try {
      const instanceId = id ?? (await this.instances.findByNodeClaim(name))?.id;
      const live = instanceId ? await this.instances.get(instanceId) : undefined;
      if (live && (await this.instances.terminate([live.id])).length > 0) {
        this.logger.info({ nodeclaim: name, instance: live.id }, 'terminating instance');
        return;
      }
    } catch (error) {
      throw new AwsCallError(`NodeClaim ${name}`, 'terminating its instance', error);
    }
    throw new NodeClaimNotFoundError(nodeClaim.status?.providerID ?? `(NodeClaim ${name}, no instance launched)`);
  }

  async get(id: string): Promise<NodeClaim> {
    const instanceId = instanceIdFromProviderID(id);
    if (!instanceId) throw new NodeClaimNotFoundError(id);
    return named(`NodeClaim with providerID ${id}`, 'reading its instance', async () => {
      const instance = await this.instances.get(instanceId);
      if (!instance) throw new NodeClaimNotFoundError(id);
      return this.nodeClaimFor(instance, await this.instanceTypeOf(instance));
    });
  }

  async list(): Promise<NodeClaim[]> {
    const instances = await named(`cluster ${this.options.clusterName}`, 'listing instances', () => this.instances.list());
    return Promise.all(instances.map(async (instance) => this.nodeClaimFor(instance, await this.instanceTypeOf(instance))));
  }

  async isDrifted(nodeClaim: NodeClaim): Promise<DriftReason | undefined> {
    const id = nodeClaim.status?.providerID && instanceIdFromProviderID(nodeClaim.status.providerID);
    if (!id) return undefined;
    const [instance, nodeClass] = await named(`NodeClaim ${nodeClaim.metadata.name}`, 'checking drift', () =>
      Promise.all([this.instances.get(id), this.options.nodeClass(nodeClaim.spec.nodeClassRef.name)]),
    );
    if (!instance || !nodeClass) return undefined;
    const drift = instanceDrift(instance, nodeClass.status);
    if (drift) this.logger.info({ nodeclaim: nodeClaim.metadata.name, instance: id, reason: drift.reason }, drift.detail);
    return drift?.reason;
  }

  private async readyNodeClass(nodeClaim: NodeClaim): Promise<EC2NodeClass> {
    const name = nodeClaim.spec.nodeClassRef.name;
    const nodeClass = await this.options.nodeClass(name);
    const subject = `NodeClaim ${nodeClaim.metadata.name}: EC2NodeClass ${name}`;
    if (!nodeClass) throw new NodeClassNotReadyError(`${subject} does not exist: create it or fix spec.nodeClassRef of the NodePool`);
    const ready = nodeClass.status?.conditions?.find((c) => c.type === NodeClassConditionTypes.ready);
    if (ready?.status !== 'True') {
      throw new NodeClassNotReadyError(`${subject} is not ready: ${ready?.message || 'it has not been resolved yet (no Ready condition)'}`);
    }
    return nodeClass;
  }

  private instanceTypesFor(nodeClass: EC2NodeClass): Promise<InstanceType[]> {
    const family = nodeClassAmiFamily(nodeClass.spec);
    const storage = ephemeralStorageMapping(family, nodeClass.spec.blockDeviceMappings ?? defaultBlockDeviceMappings(family))?.ebs?.volumeSize;
    return this.instanceTypeProvider.instanceTypes({
      kubelet: nodeClass.spec.kubelet,
      ephemeralStorage: storage ? volumeSizeGiB(storage) * GiB : undefined,
      vmMemoryOverheadPercent: this.options.vmMemoryOverheadPercent,
      prefixDelegation: this.options.prefixDelegation,
    });
  }

  /** The instance type of a running instance as its EC2NodeClass sees it (default settings when the class is gone). */
  private async instanceTypeOf(instance: Ec2Instance): Promise<InstanceType | undefined> {
    const nodeClass = await this.options.nodeClass(instance.tags[TagKeys.nodeClass] ?? '');
    const types = nodeClass ? await this.instanceTypesFor(nodeClass) : await this.instanceTypeProvider.instanceTypes({});
    return types.find((t) => t.name === instance.instanceType);
  }

  /** The NodeClaim view of an instance: its labels, providerID, image and resources. */
  private nodeClaimFor(instance: Ec2Instance, instanceType: InstanceType | undefined): NodeClaim {
    const singleValued = (instanceType?.requirements ?? []).filter((r) => r.operator === 'In' && r.values?.length === 1);
    const labels: Record<string, string> = {
      ...Object.fromEntries(singleValued.map((r) => [r.key, r.values![0]])),
      [Labels.instanceType]: instance.instanceType,
      [Labels.zone]: instance.zone,
      [Labels.region]: this.options.region,
      [Labels.capacityType]: instance.capacityType,
    };
    if (instance.tags[TagKeys.nodePool]) labels[Labels.nodePool] = instance.tags[TagKeys.nodePool];
    return {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: { name: instance.tags[TagKeys.nodeClaim], labels, ...(instance.launchTime ? { creationTimestamp: instance.launchTime.toISOString() } : {}) },
      spec: {
        requirements: [],
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: instance.tags[TagKeys.nodeClass] ?? '' },
        expireAfter: '720h',
      },
      status: {
        providerID: providerID(instance),
        imageID: instance.imageId,
        ...(instanceType ? { capacity: quantities(instanceType.capacity), allocatable: quantities(instanceType.allocatable) } : {}),
      },
    };
  }
}

/** Runs `fn`, re-throwing unexpected failures with the object they concern; the contract's errors pass unchanged. */
async function named<T>(subject: ErrorSubject, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof CloudProviderError || error instanceof AwsCallError) throw error;
    throw new AwsCallError(subject, what, error);
  }
}

function archOf(requirements: readonly { key: string; operator: string; values?: readonly string[] }[]): string | undefined {
  return requirements.find((r) => r.key === Labels.arch && r.operator === 'In')?.values?.[0];
}

function fits(requests: Readonly<Record<string, string | number>>, allocatable: Readonly<Record<string, number>>): boolean {
  return Object.entries(requests).every(([resource, quantity]) => parseQuantity(quantity, resource) <= (allocatable[resource] ?? 0));
}
