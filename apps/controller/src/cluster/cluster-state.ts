import type { EC2NodeClass, NodeClaim, NodePool } from '@karpenter-ts/api';
import { ResourceCache, type KubeObject } from '@karpenter-ts/kube';
import type { V1DaemonSet, V1Node, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '../operator/logger.js';
import { LOGGER } from '../operator/tokens.js';
import { KubernetesApi } from './kubernetes-api.js';

/**
 * The controller's view of the cluster: one watch-backed cache per resource. Controllers read
 * these instead of listing the API server, and subscribe to their changes.
 */
@Injectable()
export class ClusterState {
  readonly pods: ResourceCache<V1Pod>;
  readonly nodes: ResourceCache<V1Node>;
  readonly nodePools: ResourceCache<NodePool>;
  readonly nodeClaims: ResourceCache<NodeClaim>;
  readonly ec2NodeClasses: ResourceCache<EC2NodeClass>;
  readonly daemonSets: ResourceCache<V1DaemonSet>;
  readonly podDisruptionBudgets: ResourceCache<V1PodDisruptionBudget>;
  readonly persistentVolumes: ResourceCache<V1PersistentVolume>;
  readonly persistentVolumeClaims: ResourceCache<V1PersistentVolumeClaim>;

  constructor(@Inject(KubernetesApi) api: KubernetesApi, @Inject(LOGGER) logger: Logger) {
    const options = { logger };
    this.pods = new ResourceCache(api.pods, options);
    this.nodes = new ResourceCache(api.nodes, options);
    this.nodePools = new ResourceCache(api.nodePools, options);
    this.nodeClaims = new ResourceCache(api.nodeClaims, options);
    this.ec2NodeClasses = new ResourceCache(api.ec2NodeClasses, options);
    this.daemonSets = new ResourceCache(api.daemonSets, options);
    this.podDisruptionBudgets = new ResourceCache(api.podDisruptionBudgets, options);
    this.persistentVolumes = new ResourceCache(api.persistentVolumes, options);
    this.persistentVolumeClaims = new ResourceCache(api.persistentVolumeClaims, options);
  }

  private get all(): ResourceCache<KubeObject>[] {
    return [
      this.pods,
      this.nodes,
      this.nodePools,
      this.nodeClaims,
      this.ec2NodeClasses,
      this.daemonSets,
      this.podDisruptionBudgets,
      this.persistentVolumes,
      this.persistentVolumeClaims,
    ] as ResourceCache<KubeObject>[];
  }

  get synced(): boolean {
    return this.all.every((c) => c.hasSynced);
  }

  async start(): Promise<void> {
    await Promise.all(this.all.map((c) => c.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((c) => c.stop()));
  }

  nodeByProviderID(providerID: string): V1Node | undefined {
    return this.nodes.list((n) => n.spec?.providerID === providerID)[0];
  }

  nodeClaimByProviderID(providerID: string): NodeClaim | undefined {
    return this.nodeClaims.list((c) => c.status?.providerID === providerID)[0];
  }

  podsOnNode(nodeName: string): V1Pod[] {
    return this.pods.list((p) => p.spec?.nodeName === nodeName);
  }
}
