import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { Labels, type NodeSelectorRequirement, type Offering } from '@karpenter-ts/api';

/** EC2 architecture names → `kubernetes.io/arch`; types of other architectures (mac) cannot join a cluster. */
const kubernetesArch: Readonly<Record<string, string>> = { x86_64: 'amd64', arm64: 'arm64' };

// `<category><generation><attributes>.<size>`, with the `u-<N>tb1` high-memory shape as well.
const instanceTypeName = /^([a-z]+)(-[0-9]+tb)?([0-9]+)[a-z0-9-]*\.(.+)$/;

export function kubernetesArchitecture(info: InstanceTypeInfo): string | undefined {
  return info.ProcessorInfo?.SupportedArchitectures?.map((a) => kubernetesArch[a]).find(Boolean);
}

/** The label values a node of this type carries, keyed by label (Karpenter's `karpenter.k8s.aws/*` set). */
export function instanceTypeLabels(info: InstanceTypeInfo): Record<string, string> {
  const name = info.InstanceType ?? '';
  const [family, size] = splitName(name);
  const labels: Record<string, string> = {
    [Labels.instanceType]: name,
    [Labels.os]: 'linux',
    [Labels.instanceFamily]: family,
    [Labels.instanceSize]: size,
    [Labels.instanceCpu]: String(info.VCpuInfo?.DefaultVCpus ?? 0),
    [Labels.instanceMemory]: String(info.MemoryInfo?.SizeInMiB ?? 0),
    [Labels.instanceEncryptionInTransitSupported]: String(info.NetworkInfo?.EncryptionInTransitSupported ?? false),
  };
  const arch = kubernetesArchitecture(info);
  if (arch) labels[Labels.arch] = arch;
  const parts = instanceTypeName.exec(name);
  if (parts) {
    labels[Labels.instanceCategory] = parts[1];
    labels[Labels.instanceGeneration] = parts[3];
  }
  const manufacturer = info.ProcessorInfo?.Manufacturer;
  if (manufacturer) labels[Labels.instanceCpuManufacturer] = manufacturer.toLowerCase();
  if (info.Hypervisor) labels[Labels.instanceHypervisor] = info.Hypervisor;
  const gpu = info.GpuInfo?.Gpus?.[0];
  if (gpu) {
    labels[Labels.instanceGpuName] = (gpu.Name ?? '').toLowerCase();
    labels[Labels.instanceGpuManufacturer] = (gpu.Manufacturer ?? '').toLowerCase();
    labels[Labels.instanceGpuCount] = String(gpu.Count ?? 0);
    labels[Labels.instanceGpuMemory] = String(gpu.MemoryInfo?.SizeInMiB ?? 0);
  }
  const storage = info.InstanceStorageInfo;
  if (storage?.TotalSizeInGB && storage.NvmeSupport !== 'unsupported') {
    labels[Labels.instanceLocalNvme] = String(storage.TotalSizeInGB);
  }
  const bandwidthGbps = (info.NetworkInfo?.NetworkCards ?? []).reduce((sum, card) => sum + (card.BaselineBandwidthInGbps ?? 0), 0);
  if (bandwidthGbps > 0) labels[Labels.instanceNetworkBandwidth] = String(Math.round(bandwidthGbps * 1000));
  const ebsMbps = info.EbsInfo?.EbsOptimizedInfo?.MaximumBandwidthInMbps;
  if (ebsMbps) labels[Labels.instanceEbsBandwidth] = String(ebsMbps);
  return labels;
}

/**
 * The requirements of an instance type: one `In` per label, plus the zones and capacity types
 * of its offerings and the region.
 */
export function instanceTypeRequirements(
  info: InstanceTypeInfo,
  offerings: readonly Offering[],
  region: string,
): NodeSelectorRequirement[] {
  const requirements: NodeSelectorRequirement[] = Object.entries(instanceTypeLabels(info)).map(([key, value]) => ({
    key,
    operator: 'In',
    values: [value],
  }));
  requirements.push(
    { key: Labels.region, operator: 'In', values: [region] },
    { key: Labels.zone, operator: 'In', values: unique(offerings.map((o) => o.zone)) },
    { key: Labels.capacityType, operator: 'In', values: unique(offerings.map((o) => o.capacityType)) },
  );
  return requirements;
}

function splitName(name: string): [family: string, size: string] {
  const dot = name.indexOf('.');
  return dot < 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot + 1)];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
