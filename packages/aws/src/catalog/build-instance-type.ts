import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { InstanceType, Offering } from '@karpenter-ts/api';
import { parseQuantity } from '@karpenter-ts/solver';
import {
  defaultKubeReserved,
  defaultVmMemoryOverheadPercent,
  evictionThreshold,
  maxPods,
  memoryCapacity,
  type KubeletOverrides,
  type MaxPodsOptions,
} from './instance-type-resources.js';
import { instanceTypeRequirements, kubernetesArchitecture } from './instance-type-requirements.js';

const GiB = 1024 * 1024 * 1024;

export interface InstanceTypeOptions extends MaxPodsOptions {
  readonly region: string;
  /** Share of reported memory not available to the node (`VM_MEMORY_OVERHEAD_PERCENT`), default 0.075. */
  readonly vmMemoryOverheadPercent?: number;
  /** `spec.kubelet` of the EC2NodeClass. */
  readonly kubelet?: KubeletOverrides;
  /** Ephemeral storage in bytes: the root volume of the EC2NodeClass, default 20Gi. */
  readonly ephemeralStorage?: number;
}

/** True when nodes of this type can join a Kubernetes cluster (amd64 or arm64 Linux). */
export function isKubernetesCapable(info: InstanceTypeInfo): boolean {
  return kubernetesArchitecture(info) !== undefined && (info.VCpuInfo?.DefaultVCpus ?? 0) > 0;
}

/**
 * Builds a schedulable InstanceType from an EC2 `DescribeInstanceTypes` entry and its offerings:
 * capacity, the node's own reservations, allocatable and the `karpenter.k8s.aws/*` labels.
 * The live provider and the bundled catalog both go through this function.
 *
 * @example
 * const m5 = buildInstanceType(info, [{ capacityType: 'on-demand', zone: 'us-east-1a', price: 0.096, available: true }], { region: 'us-east-1' });
 * m5.allocatable.cpu; // 1930 (millicores)
 */
export function buildInstanceType(info: InstanceTypeInfo, offerings: readonly Offering[], options: InstanceTypeOptions): InstanceType {
  const name = info.InstanceType ?? '';
  if (!isKubernetesCapable(info)) {
    throw new Error(`instance type ${name}: architecture ${info.ProcessorInfo?.SupportedArchitectures?.join(',')} cannot run Kubernetes nodes`);
  }
  const kubelet = options.kubelet ?? {};
  const vcpus = info.VCpuInfo?.DefaultVCpus ?? 0;
  const pods = maxPods(info, kubelet, options);
  const capacity: Record<string, number> = {
    cpu: vcpus * 1000,
    memory: memoryCapacity(info, options.vmMemoryOverheadPercent ?? defaultVmMemoryOverheadPercent),
    'ephemeral-storage': options.ephemeralStorage ?? 20 * GiB,
    pods,
    ...extendedResources(info),
  };
  const kubeReserved = { ...defaultKubeReserved(vcpus, pods), ...parseResources(kubelet.kubeReserved, `${name}: kubelet.kubeReserved`) };
  const systemReserved = parseResources(kubelet.systemReserved, `${name}: kubelet.systemReserved`);
  const eviction = evictionThreshold(capacity, kubelet, (value, resource) =>
    parseResourceQuantity(value, resource, `${name}: kubelet eviction threshold`),
  );
  const allocatable: Record<string, number> = {};
  for (const [resource, amount] of Object.entries(capacity)) {
    const reserved = (kubeReserved[resource] ?? 0) + (systemReserved[resource] ?? 0) + (eviction[resource] ?? 0);
    allocatable[resource] = Math.max(0, amount - reserved);
  }
  return {
    name,
    requirements: instanceTypeRequirements(info, offerings, options.region),
    capacity,
    overhead: { kubeReserved, systemReserved, evictionThreshold: eviction },
    allocatable,
    offerings,
  };
}

/** GPUs, Neuron devices and EFA interfaces as the device plugins advertise them. */
function extendedResources(info: InstanceTypeInfo): Record<string, number> {
  const resources: Record<string, number> = {};
  for (const gpu of info.GpuInfo?.Gpus ?? []) {
    const resource = gpuResource[(gpu.Manufacturer ?? '').toLowerCase()];
    if (resource) resources[resource] = (resources[resource] ?? 0) + (gpu.Count ?? 0);
  }
  const neuronDevices = info.NeuronInfo?.NeuronDevices ?? [];
  if (neuronDevices.length > 0) {
    resources['aws.amazon.com/neuron'] = neuronDevices.reduce((sum, d) => sum + (d.Count ?? 0), 0);
    resources['aws.amazon.com/neuroncore'] = neuronDevices.reduce((sum, d) => sum + (d.Count ?? 0) * (d.CoreInfo?.Count ?? 0), 0);
  } else {
    const inferentia = (info.InferenceAcceleratorInfo?.Accelerators ?? []).filter((a) => a.Manufacturer === 'AWS');
    if (inferentia.length > 0) resources['aws.amazon.com/neuron'] = inferentia.reduce((sum, a) => sum + (a.Count ?? 0), 0);
  }
  const efa = info.NetworkInfo?.EfaInfo?.MaximumEfaInterfaces;
  if (info.NetworkInfo?.EfaSupported && efa) resources['vpc.amazonaws.com/efa'] = efa;
  return resources;
}

const gpuResource: Readonly<Record<string, string>> = {
  nvidia: 'nvidia.com/gpu',
  amd: 'amd.com/gpu',
  habana: 'habana.ai/gaudi',
};

function parseResourceQuantity(value: string, resource: string, where: string): number {
  try {
    return parseQuantity(value, resource);
  } catch (error) {
    throw new Error(`${where}: ${resource}: ${(error as Error).message}`);
  }
}

function parseResources(values: Readonly<Record<string, string>> | undefined, where: string): Record<string, number> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([resource, value]) => [resource, parseResourceQuantity(value, resource, where)]));
}
