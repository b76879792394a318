import type { CloudProvider, DriftReason, InstanceType, NodeClaim, NodePool } from '@karpenter-ts/api';
import type { Metrics } from './metrics.js';

/** A CloudProvider that records karpenter_cloudprovider_duration_seconds and _errors_total for every call. */
export class MeteredCloudProvider implements CloudProvider {
  constructor(
    private readonly inner: CloudProvider,
    private readonly metrics: Metrics,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  create(nodeClaim: NodeClaim): Promise<NodeClaim> {
    return this.measure('Create', () => this.inner.create(nodeClaim));
  }
  delete(nodeClaim: NodeClaim): Promise<void> {
    return this.measure('Delete', () => this.inner.delete(nodeClaim));
  }
  get(providerID: string): Promise<NodeClaim> {
    return this.measure('Get', () => this.inner.get(providerID));
  }
  list(): Promise<NodeClaim[]> {
    return this.measure('List', () => this.inner.list());
  }
  getInstanceTypes(nodePool: NodePool): Promise<InstanceType[]> {
    return this.measure('GetInstanceTypes', () => this.inner.getInstanceTypes(nodePool));
  }
  isDrifted(nodeClaim: NodeClaim): Promise<DriftReason | undefined> {
    return this.measure('IsDrifted', () => this.inner.isDrifted(nodeClaim));
  }

  private async measure<T>(method: string, call: () => Promise<T>): Promise<T> {
    const end = this.metrics.cloudProviderDuration.startTimer({ method, provider: this.inner.name });
    try {
      return await call();
    } catch (err) {
      this.metrics.cloudProviderErrors.inc({ method, provider: this.inner.name, error: err instanceof Error ? err.name : 'Error' });
      throw err;
    } finally {
      end();
    }
  }
}
