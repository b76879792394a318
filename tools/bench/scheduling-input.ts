import type { InstanceType } from '@karpenter-ts/api';
import type { NodePoolLike, Pod, SchedulingInput } from '@karpenter-ts/solver';

const GiB = 2 ** 30;

/** A small deterministic PRNG (mulberry32), so every run draws the same pods. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Type i (1..count): i cpu, 2i GiB, 10i pods; on-demand 0.1/cpu + 0.1/GiB per hour in zones a–c, spot at 70 % in a–b. */
export function benchInstanceTypes(count = 400): InstanceType[] {
  const types: InstanceType[] = [];
  for (let i = 1; i <= count; i++) {
    const resources = { cpu: i * 1000, memory: 2 * i * GiB, pods: 10 * i };
    const onDemand = 0.1 * i + 0.1 * 2 * i;
    types.push({
      name: `bench-${i}`,
      requirements: [
        { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
        { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
      ],
      capacity: resources,
      overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
      allocatable: resources,
      offerings: [
        ...['a', 'b', 'c'].map((zone) => ({ capacityType: 'on-demand' as const, zone: `zone-${zone}`, price: onDemand, available: true })),
        ...['a', 'b'].map((zone) => ({ capacityType: 'spot' as const, zone: `zone-${zone}`, price: onDemand * 0.7, available: true })),
      ],
    });
  }
  return types;
}

const cpuChoices = ['100m', '250m', '500m', '1000m', '1500m'];
const memoryChoices = [100, 256, 512, 1024, 2048, 4096].map((mi) => `${mi}Mi`);

/** Five equal groups: plain, zonal spread, hostname spread, zonal affinity to itself, hostname anti-affinity to itself. */
export function benchPods(count: number, seed = 42): Pod[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const groups = ['plain', 'zonal-spread', 'hostname-spread', 'zonal-affinity', 'hostname-anti-affinity'];
  const pods: Pod[] = [];
  for (let i = 0; i < count; i++) {
    const group = groups[i % groups.length];
    const labels = { app: group };
    const selector = { matchLabels: labels };
    const spread = (topologyKey: string) => [{ maxSkew: 1, topologyKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector }];
    const affinity =
      group === 'zonal-affinity'
        ? { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: selector }] } }
        : group === 'hostname-anti-affinity'
          ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: selector }] } }
          : undefined;
    pods.push({
      metadata: { name: `${group}-${i}`, namespace: 'bench', uid: `uid-${i}`, labels },
      spec: {
        containers: [{ name: 'app', resources: { requests: { cpu: pick(cpuChoices), memory: pick(memoryChoices) } } }],
        topologySpreadConstraints:
          group === 'zonal-spread' ? spread('topology.kubernetes.io/zone') : group === 'hostname-spread' ? spread('kubernetes.io/hostname') : undefined,
        affinity,
      },
    });
  }
  return pods;
}

/** One NodePool allowing every instance type, capacity type and zone. */
export const benchNodePool: NodePoolLike = {
  metadata: { name: 'default' },
  spec: { template: { spec: { requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }] } } },
};

export function benchInput(pods: number, seed = 42): SchedulingInput {
  return { pods: benchPods(pods, seed), nodePools: [benchNodePool], instanceTypes: { default: benchInstanceTypes() } };
}

