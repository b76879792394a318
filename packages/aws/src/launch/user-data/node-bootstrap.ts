/** A taint as a NodeClaim carries it. */
export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** What a node needs to join the cluster, independent of the AMI family that consumes it. */
export interface NodeBootstrap {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  /** Base64 PEM of the cluster CA, as `eks describe-cluster` returns it. */
  readonly clusterCABundle: string;
  /** The service CIDR (AL2023 derives cluster DNS from it). */
  readonly clusterCIDR?: string;
  readonly clusterDNS?: readonly string[];
  readonly maxPods?: number;
  /** Kubernetes quantity strings, e.g. `{ cpu: '80m', memory: '893Mi' }`. */
  readonly kubeReserved?: Readonly<Record<string, string>>;
  readonly systemReserved?: Readonly<Record<string, string>>;
  /** Signal → threshold, e.g. `{ 'memory.available': '100Mi' }`. */
  readonly evictionHard?: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaint[];
  /** The EC2NodeClass's `spec.userData`, merged with what the provider generates. */
  readonly customUserData?: string;
}

/** User data the EC2NodeClass supplied that cannot be merged; names the field and the fix. */
export class InvalidUserDataError extends Error {
  constructor(reason: string) {
    super(`spec.userData: ${reason}`);
    this.name = 'InvalidUserDataError';
  }
}

export function taintString(taint: NodeTaint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}

export function sortedEntries<T>(record: Readonly<Record<string, T>> | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
