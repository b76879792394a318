import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { Labels, type InstanceType, type Offering } from '@karpenter-ts/api';
import { describe, expect, it } from 'vitest';
import { loadBundledCatalog } from './bundled-catalog.js';
import { buildInstanceType, type InstanceTypeOptions } from './build-instance-type.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const offerings: Offering[] = [
  { capacityType: 'on-demand', zone: 'us-east-1a', price: 1, available: true },
  { capacityType: 'spot', zone: 'us-east-1b', price: 0.5, available: true },
];

function info(name: string): InstanceTypeInfo {
  const found = loadBundledCatalog().instanceTypes.find((t) => t.InstanceType === name);
  if (!found) throw new Error(`${name} missing from the bundled catalog`);
  return found;
}

function build(name: string, options: Partial<InstanceTypeOptions> = {}): InstanceType {
  return buildInstanceType(info(name), offerings, { region: 'us-east-1', ...options });
}

function label(type: InstanceType, key: string): string | undefined {
  const requirement = type.requirements.find((r) => r.key === key);
  return requirement?.values?.join(',');
}

describe('buildInstanceType on real catalog entries', () => {
  it('m5.large: 2 vCPU, 8 GiB, 3 ENIs × 10 IPs', () => {
    const m5 = build('m5.large');
    // memory: 8192 − ceil(8192 × 0.075 = 614.4) = 7577 MiB; pods: 3 × (10 − 1) + 2 = 29
    expect(m5.capacity).toEqual({ cpu: 2000, memory: 7577 * MiB, 'ephemeral-storage': 20 * GiB, pods: 29 });
    // cpu: 6% of core 1 (60m) + 1% of core 2 (10m); memory: 11 × 29 + 255 = 574 MiB
    expect(m5.overhead.kubeReserved).toEqual({ cpu: 70, memory: 574 * MiB, 'ephemeral-storage': GiB });
    expect(m5.overhead.systemReserved).toEqual({});
    // eviction: memory.available 100Mi, nodefs.available 10% of 20Gi
    expect(m5.overhead.evictionThreshold).toEqual({ memory: 100 * MiB, 'ephemeral-storage': 2 * GiB });
    expect(m5.allocatable).toEqual({ cpu: 1930, memory: 6903 * MiB, 'ephemeral-storage': 17 * GiB, pods: 29 });
  });

  it('m5.large labels', () => {
    const m5 = build('m5.large');
    expect(label(m5, Labels.instanceType)).toBe('m5.large');
    expect(label(m5, Labels.arch)).toBe('amd64');
    expect(label(m5, Labels.os)).toBe('linux');
    expect(label(m5, Labels.instanceCategory)).toBe('m');
    expect(label(m5, Labels.instanceFamily)).toBe('m5');
    expect(label(m5, Labels.instanceGeneration)).toBe('5');
    expect(label(m5, Labels.instanceSize)).toBe('large');
    expect(label(m5, Labels.instanceCpu)).toBe('2');
    expect(label(m5, Labels.instanceCpuManufacturer)).toBe('intel');
    expect(label(m5, Labels.instanceMemory)).toBe('8192');
    expect(label(m5, Labels.instanceHypervisor)).toBe('nitro');
    expect(label(m5, Labels.instanceEncryptionInTransitSupported)).toBe('false');
    expect(label(m5, Labels.instanceNetworkBandwidth)).toBe('750');
    expect(label(m5, Labels.instanceGpuCount)).toBeUndefined();
    expect(label(m5, Labels.instanceLocalNvme)).toBeUndefined();
    expect(label(m5, Labels.zone)).toBe('us-east-1a,us-east-1b');
    expect(label(m5, Labels.capacityType)).toBe('on-demand,spot');
    expect(label(m5, Labels.region)).toBe('us-east-1');
  });

  it('m5.metal: 96 vCPU, 384 GiB, no hypervisor, 15 ENIs × 50 IPs', () => {
    const metal = build('m5.metal');
    // memory: 393216 − ceil(29491.2) = 363724 MiB; pods: 15 × 49 + 2 = 737
    expect(metal.capacity.memory).toBe(363724 * MiB);
    expect(metal.capacity.pods).toBe(737);
    // cpu: 60 + 10 + 2 × 5 + 92 × 2.5 = 310m; memory: 11 × 737 + 255 = 8362 MiB
    expect(metal.overhead.kubeReserved.cpu).toBe(310);
    expect(metal.overhead.kubeReserved.memory).toBe(8362 * MiB);
    expect(metal.allocatable.cpu).toBe(95690);
    expect(metal.allocatable.memory).toBe((363724 - 8362 - 100) * MiB);
    expect(label(metal, Labels.instanceHypervisor)).toBeUndefined();
    expect(label(metal, Labels.instanceSize)).toBe('metal');
    expect(label(metal, Labels.instanceNetworkBandwidth)).toBe('25000');
  });

  it('prefix delegation raises max pods up to the EKS cap', () => {
    expect(build('m5.metal', { prefixDelegation: true }).capacity.pods).toBe(250); // 96 vCPU ≥ 30 → 250
    expect(build('m5.large', { prefixDelegation: true }).capacity.pods).toBe(110); // 3 × 9 × 16 + 2 = 434, cap 110
    expect(build('t3.micro', { prefixDelegation: true }).capacity.pods).toBe(34); // 2 ENIs × 1 slot × 16 + 2
    expect(build('t3.micro').capacity.pods).toBe(4); // 2 × (2 − 1) + 2
  });

  it('g5.xlarge: one NVIDIA A10G, local NVMe', () => {
    const g5 = build('g5.xlarge');
    // memory: 16384 − ceil(1228.8) = 15155 MiB; pods: 4 × 14 + 2 = 58; kube cpu: 60 + 10 + 10 = 80m
    expect(g5.capacity).toMatchObject({ cpu: 4000, memory: 15155 * MiB, pods: 58, 'nvidia.com/gpu': 1 });
    expect(g5.overhead.kubeReserved).toMatchObject({ cpu: 80, memory: (11 * 58 + 255) * MiB });
    expect(g5.allocatable).toMatchObject({ cpu: 3920, memory: (15155 - 893 - 100) * MiB, 'nvidia.com/gpu': 1 });
    expect(label(g5, Labels.instanceGpuName)).toBe('a10g');
    expect(label(g5, Labels.instanceGpuManufacturer)).toBe('nvidia');
    expect(label(g5, Labels.instanceGpuCount)).toBe('1');
    expect(label(g5, Labels.instanceGpuMemory)).toBe('22888');
    expect(label(g5, Labels.instanceLocalNvme)).toBe('250');
    expect(label(g5, Labels.instanceCpuManufacturer)).toBe('amd');
  });

  it('p4d.24xlarge: 8 GPUs, EFA, ENIs of the default network card only', () => {
    const p4d = build('p4d.24xlarge');
    expect(p4d.capacity['nvidia.com/gpu']).toBe(8);
    expect(p4d.capacity['vpc.amazonaws.com/efa']).toBe(4);
    expect(p4d.capacity.pods).toBe(15 * 49 + 2); // card 0 has 15 of the 60 ENIs
    expect(label(p4d, Labels.instanceEncryptionInTransitSupported)).toBe('true');
    expect(label(p4d, Labels.instanceNetworkBandwidth)).toBe('400000');
  });

  it('inf2.xlarge and trn1.32xlarge advertise Neuron devices and cores', () => {
    expect(build('inf2.xlarge').capacity).toMatchObject({ 'aws.amazon.com/neuron': 1, 'aws.amazon.com/neuroncore': 2 });
    expect(build('trn1.32xlarge').capacity).toMatchObject({ 'aws.amazon.com/neuron': 16, 'aws.amazon.com/neuroncore': 32, 'vpc.amazonaws.com/efa': 8 });
  });

  it('m6g.large: arm64 Graviton', () => {
    const m6g = build('m6g.large');
    expect(label(m6g, Labels.arch)).toBe('arm64');
    expect(label(m6g, Labels.instanceCpuManufacturer)).toBe('aws');
    expect(label(m6g, Labels.instanceFamily)).toBe('m6g');
    expect(m6g.allocatable).toEqual({ cpu: 1930, memory: 6903 * MiB, 'ephemeral-storage': 17 * GiB, pods: 29 });
  });

  it('names with dashes: m7i-flex and u-6tb1', () => {
    const flex = build('m7i-flex.large');
    expect([label(flex, Labels.instanceCategory), label(flex, Labels.instanceFamily), label(flex, Labels.instanceGeneration)]).toEqual(['m', 'm7i-flex', '7']);
    const u = build('u-6tb1.56xlarge');
    expect([label(u, Labels.instanceCategory), label(u, Labels.instanceFamily), label(u, Labels.instanceGeneration)]).toEqual(['u', 'u-6tb1', '1']);
  });

  it('refuses mac instances', () => {
    expect(() => build('mac1.metal')).toThrow(/mac1.metal: architecture x86_64_mac/);
  });
});

describe('EC2NodeClass kubelet overrides and memory overhead', () => {
  it('maxPods replaces the ENI limit and changes kube-reserved memory', () => {
    const m5 = build('m5.large', { kubelet: { maxPods: 110 } });
    expect(m5.capacity.pods).toBe(110);
    expect(m5.overhead.kubeReserved.memory).toBe((11 * 110 + 255) * MiB);
  });

  it('podsPerCore caps max pods at podsPerCore × vCPU', () => {
    expect(build('m5.large', { kubelet: { podsPerCore: 10 } }).capacity.pods).toBe(20);
    expect(build('m5.large', { kubelet: { podsPerCore: 100 } }).capacity.pods).toBe(29);
  });

  it('kubeReserved and systemReserved replace or add per resource', () => {
    const m5 = build('m5.large', { kubelet: { kubeReserved: { cpu: '200m' }, systemReserved: { memory: '256Mi', cpu: '0.1' } } });
    expect(m5.overhead.kubeReserved).toEqual({ cpu: 200, memory: 574 * MiB, 'ephemeral-storage': GiB });
    expect(m5.allocatable.cpu).toBe(2000 - 200 - 100);
    expect(m5.allocatable.memory).toBe((7577 - 574 - 256 - 100) * MiB);
  });

  it('evictionHard percentages are of capacity; the larger of hard and soft wins', () => {
    const m5 = build('m5.large', { kubelet: { evictionHard: { 'memory.available': '5%' }, evictionSoft: { 'nodefs.available': '15%' } } });
    expect(m5.overhead.evictionThreshold.memory).toBe(Math.ceil(0.05 * 7577 * MiB));
    expect(m5.overhead.evictionThreshold['ephemeral-storage']).toBe(3 * GiB);
  });

  it('VM memory overhead percent is configurable', () => {
    expect(build('m5.large', { vmMemoryOverheadPercent: 0.05 }).capacity.memory).toBe((8192 - 410) * MiB);
  });

  it('rejects a bad quantity with the type and field', () => {
    expect(() => build('m5.large', { kubelet: { kubeReserved: { memory: 'lots' } } })).toThrow(/m5.large: kubelet.kubeReserved: memory: "lots"/);
  });
});
