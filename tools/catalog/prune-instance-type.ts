import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';

/**
 * Keeps only the `DescribeInstanceTypes` fields that the instance-type builder reads
 * (resources, max pods, labels, extended resources, usage classes); the result is still a
 * valid `InstanceTypeInfo`.
 */
export function pruneInstanceType(info: InstanceTypeInfo): InstanceTypeInfo {
  const net = info.NetworkInfo;
  const storage = info.InstanceStorageInfo;
  return dropUndefined({
    InstanceType: info.InstanceType,
    CurrentGeneration: info.CurrentGeneration,
    BareMetal: info.BareMetal,
    BurstablePerformanceSupported: info.BurstablePerformanceSupported,
    Hypervisor: info.Hypervisor,
    SupportedUsageClasses: info.SupportedUsageClasses,
    VCpuInfo: { DefaultVCpus: info.VCpuInfo?.DefaultVCpus },
    MemoryInfo: { SizeInMiB: info.MemoryInfo?.SizeInMiB },
    ProcessorInfo: dropUndefined({
      SupportedArchitectures: info.ProcessorInfo?.SupportedArchitectures,
      Manufacturer: info.ProcessorInfo?.Manufacturer,
    }),
    NetworkInfo: net
      ? dropUndefined({
          MaximumNetworkInterfaces: net.MaximumNetworkInterfaces,
          Ipv4AddressesPerInterface: net.Ipv4AddressesPerInterface,
          DefaultNetworkCardIndex: net.DefaultNetworkCardIndex,
          NetworkCards: net.NetworkCards?.map((card) =>
            dropUndefined({
              NetworkCardIndex: card.NetworkCardIndex,
              MaximumNetworkInterfaces: card.MaximumNetworkInterfaces,
              BaselineBandwidthInGbps: card.BaselineBandwidthInGbps,
            }),
          ),
          EfaSupported: net.EfaSupported,
          EfaInfo: net.EfaInfo,
          EncryptionInTransitSupported: net.EncryptionInTransitSupported,
        })
      : undefined,
    GpuInfo: info.GpuInfo
      ? {
          Gpus: info.GpuInfo.Gpus?.map((gpu) =>
            dropUndefined({ Name: gpu.Name, Manufacturer: gpu.Manufacturer, Count: gpu.Count, MemoryInfo: gpu.MemoryInfo }),
          ),
        }
      : undefined,
    NeuronInfo: info.NeuronInfo
      ? {
          NeuronDevices: info.NeuronInfo.NeuronDevices?.map((device) =>
            dropUndefined({ Name: device.Name, Count: device.Count, CoreInfo: device.CoreInfo, MemoryInfo: device.MemoryInfo }),
          ),
        }
      : undefined,
    InferenceAcceleratorInfo: info.InferenceAcceleratorInfo
      ? {
          Accelerators: info.InferenceAcceleratorInfo.Accelerators?.map((a) =>
            dropUndefined({ Name: a.Name, Manufacturer: a.Manufacturer, Count: a.Count }),
          ),
        }
      : undefined,
    InstanceStorageInfo: storage
      ? dropUndefined({ TotalSizeInGB: storage.TotalSizeInGB, NvmeSupport: storage.NvmeSupport })
      : undefined,
    EbsInfo: info.EbsInfo?.EbsOptimizedInfo
      ? { EbsOptimizedInfo: { MaximumBandwidthInMbps: info.EbsInfo.EbsOptimizedInfo.MaximumBandwidthInMbps } }
      : undefined,
  });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
