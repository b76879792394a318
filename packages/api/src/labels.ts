/** Well-known label keys, annotations, taints and finalizers shared by every package. */

export const Labels = {
  nodePool: 'karpenter.sh/nodepool',
  capacityType: 'karpenter.sh/capacity-type',
  initialized: 'karpenter.sh/initialized',
  registered: 'karpenter.sh/registered',
  instanceType: 'node.kubernetes.io/instance-type',
  zone: 'topology.kubernetes.io/zone',
  region: 'topology.kubernetes.io/region',
  arch: 'kubernetes.io/arch',
  os: 'kubernetes.io/os',
  hostname: 'kubernetes.io/hostname',
  windowsBuild: 'node.kubernetes.io/windows-build',
  ec2NodeClass: 'karpenter.k8s.aws/ec2nodeclass',
  instanceCategory: 'karpenter.k8s.aws/instance-category',
  instanceFamily: 'karpenter.k8s.aws/instance-family',
  instanceGeneration: 'karpenter.k8s.aws/instance-generation',
  instanceSize: 'karpenter.k8s.aws/instance-size',
  instanceCpu: 'karpenter.k8s.aws/instance-cpu',
  instanceCpuManufacturer: 'karpenter.k8s.aws/instance-cpu-manufacturer',
  instanceMemory: 'karpenter.k8s.aws/instance-memory',
  instanceGpuName: 'karpenter.k8s.aws/instance-gpu-name',
  instanceGpuCount: 'karpenter.k8s.aws/instance-gpu-count',
  instanceGpuManufacturer: 'karpenter.k8s.aws/instance-gpu-manufacturer',
  instanceGpuMemory: 'karpenter.k8s.aws/instance-gpu-memory',
  instanceLocalNvme: 'karpenter.k8s.aws/instance-local-nvme',
  instanceHypervisor: 'karpenter.k8s.aws/instance-hypervisor',
  instanceEncryptionInTransitSupported: 'karpenter.k8s.aws/instance-encryption-in-transit-supported',
  instanceNetworkBandwidth: 'karpenter.k8s.aws/instance-network-bandwidth',
  instanceEbsBandwidth: 'karpenter.k8s.aws/instance-ebs-bandwidth',
  instanceAcceleratorName: 'karpenter.k8s.aws/instance-accelerator-name',
  instanceAcceleratorManufacturer: 'karpenter.k8s.aws/instance-accelerator-manufacturer',
  instanceAcceleratorCount: 'karpenter.k8s.aws/instance-accelerator-count',
  instanceCapabilityFlex: 'karpenter.k8s.aws/instance-capability-flex',
} as const;

/** Deprecated label keys and the stable keys they mean. */
export const BetaLabelAliases: Readonly<Record<string, string>> = {
  'failure-domain.beta.kubernetes.io/zone': Labels.zone,
  'failure-domain.beta.kubernetes.io/region': Labels.region,
  'beta.kubernetes.io/arch': Labels.arch,
  'beta.kubernetes.io/os': Labels.os,
  'beta.kubernetes.io/instance-type': Labels.instanceType,
};

/** Rewrites a beta label key to its stable key; other keys are returned unchanged. */
export function normalizeLabelKey(key: string): string {
  return BetaLabelAliases[key] ?? key;
}

/**
 * Labels every node carries or Karpenter decides, so a pod may select them even when no
 * NodePool lists them. Any other label must be defined by the NodePool to be satisfiable.
 */
export const WellKnownLabels: ReadonlySet<string> = new Set([
  Labels.nodePool,
  Labels.capacityType,
  Labels.instanceType,
  Labels.zone,
  Labels.region,
  Labels.arch,
  Labels.os,
  Labels.windowsBuild,
  Labels.instanceCategory,
  Labels.instanceFamily,
  Labels.instanceGeneration,
  Labels.instanceSize,
  Labels.instanceCpu,
  Labels.instanceCpuManufacturer,
  Labels.instanceMemory,
  Labels.instanceGpuName,
  Labels.instanceGpuCount,
  Labels.instanceGpuManufacturer,
  Labels.instanceGpuMemory,
  Labels.instanceLocalNvme,
  Labels.instanceHypervisor,
  Labels.instanceEncryptionInTransitSupported,
  Labels.instanceNetworkBandwidth,
  Labels.instanceEbsBandwidth,
  Labels.instanceAcceleratorName,
  Labels.instanceAcceleratorManufacturer,
  Labels.instanceAcceleratorCount,
  Labels.instanceCapabilityFlex,
]);

export const Annotations = {
  doNotDisrupt: 'karpenter.sh/do-not-disrupt',
  nodePoolHash: 'karpenter.sh/nodepool-hash',
  nodePoolHashVersion: 'karpenter.sh/nodepool-hash-version',
  nodeClassHash: 'karpenter.k8s.aws/ec2nodeclass-hash',
  nodeClassHashVersion: 'karpenter.k8s.aws/ec2nodeclass-hash-version',
} as const;

export const Taints = {
  disrupted: { key: 'karpenter.sh/disrupted', effect: 'NoSchedule' },
  unregistered: { key: 'karpenter.sh/unregistered', effect: 'NoExecute' },
} as const;

export const Finalizers = {
  termination: 'karpenter.sh/termination',
} as const;
