import type { EC2NodeClass, NodeClaim, NodePool } from '@karpenter-ts/api';
import { KarpenterResources, ResourceClient, Resources, type KubeClient, type Resource } from '@karpenter-ts/kube';
import { Inject, Injectable } from '@nestjs/common';
import { KUBE_CLIENT } from '../operator/tokens.js';

/**
 * Every Kubernetes resource the controller reads or writes, one client each. The Helm chart's
 * RBAC is derived from this list (GETs inside `update()` are the re-reads of conflict retries):
 * - pods, daemonsets (apps), poddisruptionbudgets (policy), persistentvolumes,
 *   persistentvolumeclaims: list, watch
 * - nodes: list, watch, get, update, delete
 * - nodeclaims (karpenter.sh): list, watch, get, create, update, delete; nodeclaims/status: update
 * - nodepools (karpenter.sh): list, watch, get; nodepools/status: update
 * - ec2nodeclasses (karpenter.k8s.aws): list, watch, get, update; ec2nodeclasses/status: update
 * - events: create, patch; leases (coordination.k8s.io, the election namespace): get, create, update
 * - non-resource URL `/version`: get (at start, for the Kubernetes minor version)
 */
@Injectable()
export class KubernetesApi {
  readonly pods;
  readonly nodes;
  readonly daemonSets;
  readonly podDisruptionBudgets;
  readonly persistentVolumes;
  readonly persistentVolumeClaims;
  readonly events;
  readonly leases;
  readonly nodePools: ResourceClient<NodePool>;
  readonly nodeClaims: ResourceClient<NodeClaim>;
  readonly ec2NodeClasses: ResourceClient<EC2NodeClass>;

  constructor(@Inject(KUBE_CLIENT) kube: KubeClient) {
    const fieldManager = 'karpenter';
    this.pods = new ResourceClient(kube, Resources.pods, fieldManager);
    this.nodes = new ResourceClient(kube, Resources.nodes, fieldManager);
    this.daemonSets = new ResourceClient(kube, Resources.daemonSets, fieldManager);
    this.podDisruptionBudgets = new ResourceClient(kube, Resources.podDisruptionBudgets, fieldManager);
    this.persistentVolumes = new ResourceClient(kube, Resources.persistentVolumes, fieldManager);
    this.persistentVolumeClaims = new ResourceClient(kube, Resources.persistentVolumeClaims, fieldManager);
    this.events = new ResourceClient(kube, Resources.events, fieldManager);
    this.leases = new ResourceClient(kube, Resources.leases, fieldManager);
    this.nodePools = new ResourceClient(kube, KarpenterResources.nodePools as Resource<NodePool>, fieldManager);
    this.nodeClaims = new ResourceClient(kube, KarpenterResources.nodeClaims as Resource<NodeClaim>, fieldManager);
    this.ec2NodeClasses = new ResourceClient(kube, KarpenterResources.ec2NodeClasses as Resource<EC2NodeClass>, fieldManager);
  }
}
