import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Karpenter's `VM_MEMORY_OVERHEAD_PERCENT` default: the share of reported memory the hypervisor and OS keep. */
export const defaultVmMemoryOverheadPercent = 0.075;

/** Max pods used when the instance type reports no ENI data (kubelet's default). */
export const defaultMaxPods = 110;

/** Bytes of memory a node of this type reports to Kubernetes: reported MiB minus ceil(overhead% of it). */
export function memoryCapacity(info: InstanceTypeInfo, vmMemoryOverheadPercent = defaultVmMemoryOverheadPercent): number {
  const reportedMiB = info.MemoryInfo?.SizeInMiB ?? 0;
  return (reportedMiB - Math.ceil(reportedMiB * vmMemoryOverheadPercent)) * MiB;
}

export interface MaxPodsOptions {
  /** VPC CNI prefix delegation: each secondary IP slot is a /28 prefix (16 addresses). */
  readonly prefixDelegation?: boolean;
  /** ENIs kept out of pod networking (Karpenter's `RESERVED_ENIS`). */
  readonly reservedENIs?: number;
}

/**
 * Pods the VPC CNI can give an address on this type: `ENIs × (IPv4 per ENI − 1) + 2`, counting
 * the ENIs of the default network card only (the CNI attaches pods there). With prefix
 * delegation each slot holds 16 addresses, capped like the EKS max-pods calculator
 * (110 below 30 vCPUs, 250 from 30 vCPUs). 110 when the type reports no ENI data.
 */
export function eniLimitedPods(info: InstanceTypeInfo, options: MaxPodsOptions = {}): number {
  const net = info.NetworkInfo;
  const defaultCard = net?.NetworkCards?.find((card) => card.NetworkCardIndex === (net.DefaultNetworkCardIndex ?? 0));
  const enis = (defaultCard?.MaximumNetworkInterfaces ?? net?.MaximumNetworkInterfaces ?? 0) - (options.reservedENIs ?? 0);
  const ipsPerEni = net?.Ipv4AddressesPerInterface ?? 0;
  if (enis <= 0 || ipsPerEni <= 0) return defaultMaxPods;
  if (!options.prefixDelegation) return enis * (ipsPerEni - 1) + 2;
  const cap = (info.VCpuInfo?.DefaultVCpus ?? 0) < 30 ? 110 : 250;
  return Math.min(enis * (ipsPerEni - 1) * 16 + 2, cap);
}

/** The kubelet settings of an EC2NodeClass that change pods and reserved resources. */
export interface KubeletOverrides {
  readonly maxPods?: number;
  readonly podsPerCore?: number;
  readonly kubeReserved?: Readonly<Record<string, string>>;
  readonly systemReserved?: Readonly<Record<string, string>>;
  readonly evictionHard?: Readonly<Record<string, string>>;
  readonly evictionSoft?: Readonly<Record<string, string>>;
}

/** `kubelet.maxPods` replaces the ENI limit; `podsPerCore × vCPU` caps the result. */
export function maxPods(info: InstanceTypeInfo, kubelet: KubeletOverrides = {}, options: MaxPodsOptions = {}): number {
  const pods = kubelet.maxPods ?? eniLimitedPods(info, options);
  const vcpus = info.VCpuInfo?.DefaultVCpus ?? 0;
  return kubelet.podsPerCore ? Math.min(pods, kubelet.podsPerCore * vcpus) : pods;
}

// Share of each CPU range kept for the kubelet and container runtime (GKE/EKS convention).
const kubeReservedCpuRanges = [
  { fromMillis: 0, toMillis: 1000, share: 0.06 },
  { fromMillis: 1000, toMillis: 2000, share: 0.01 },
  { fromMillis: 2000, toMillis: 4000, share: 0.005 },
  { fromMillis: 4000, toMillis: Number.MAX_SAFE_INTEGER, share: 0.0025 },
];

/** Default kube-reserved: CPU by range, memory `11 × maxPods + 255` MiB, ephemeral storage 1Gi. */
export function defaultKubeReserved(vcpus: number, pods: number): Record<string, number> {
  const cpuMillis = vcpus * 1000;
  let reservedCpu = 0;
  for (const range of kubeReservedCpuRanges) {
    if (cpuMillis < range.fromMillis) break;
    reservedCpu += Math.floor((Math.min(cpuMillis, range.toMillis) - range.fromMillis) * range.share);
  }
  return { cpu: reservedCpu, memory: (11 * pods + 255) * MiB, 'ephemeral-storage': GiB };
}

/** Kubelet's default hard eviction thresholds that Karpenter subtracts. */
export const defaultEvictionHard: Readonly<Record<string, string>> = {
  'memory.available': '100Mi',
  'nodefs.available': '10%',
};

/** Maps an eviction signal to the resource it protects. */
const evictionSignalResource: Readonly<Record<string, string>> = {
  'memory.available': 'memory',
  'nodefs.available': 'ephemeral-storage',
};

/**
 * The eviction threshold per resource: for each signal the larger of the hard and soft
 * thresholds (a node is full for scheduling before either evicts). Percentages are of capacity.
 */
export function evictionThreshold(
  capacity: Readonly<Record<string, number>>,
  kubelet: KubeletOverrides,
  parseQuantity: (value: string, resource: string) => number,
): Record<string, number> {
  const hard = { ...defaultEvictionHard, ...kubelet.evictionHard };
  const result: Record<string, number> = {};
  for (const thresholds of [hard, kubelet.evictionSoft ?? {}]) {
    for (const [signal, value] of Object.entries(thresholds)) {
      const resource = evictionSignalResource[signal];
      if (!resource) continue;
      const amount = value.endsWith('%')
        ? Math.ceil((Number(value.slice(0, -1)) / 100) * (capacity[resource] ?? 0))
        : parseQuantity(value, resource);
      result[resource] = Math.max(result[resource] ?? 0, amount);
    }
  }
  return result;
}
