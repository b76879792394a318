import { DescribeInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import type { NodeClaim } from '@karpenter-ts/api';
import { KarpenterResources, ResourceClient, Resources, sleep, type KubeClient, type Resource } from '@karpenter-ts/kube';
import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';

/**
 * Plays the parts of the cluster that do not run here:
 * - kube-scheduler: marks every unbound pod of the namespace PodScheduled=False/Unschedulable,
 *   and binds a pod nominated to a NodeClaim (its `Nominated` event) once that Node is initialized;
 * - kubelet: registers a Ready Node (providerID `aws:///<zone>/<instance-id>`, the unregistered
 *   taint, capacity from its NodeClaim) for each running instance of the cluster in moto;
 * - the cloud node-lifecycle controller: deletes the Node of a terminated instance.
 */
export class KubeletAndScheduler {
  private readonly pods: ResourceClient<V1Pod>;
  private readonly nodes: ResourceClient<V1Node>;
  private readonly nodeClaims: ResourceClient<NodeClaim>;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  /** While false, no new Node registers (as if kubelets could not reach the API server). */
  registering = true;

  private readonly events: ResourceClient<CoreV1Event>;

  constructor(
    private readonly kube: KubeClient,
    private readonly ec2: EC2Client,
    private readonly clusterName: string,
    private readonly namespace: string,
  ) {
    this.pods = new ResourceClient(kube, Resources.pods, 'e2e-scheduler');
    this.nodes = new ResourceClient(kube, Resources.nodes, 'e2e-kubelet');
    this.nodeClaims = new ResourceClient(kube, KarpenterResources.nodeClaims as Resource<NodeClaim>);
    this.events = new ResourceClient(kube, Resources.events);
  }

  start(intervalMs = 250): void {
    this.loop = (async () => {
      while (!this.abort.signal.aborted) {
        try {
          await this.schedulePods();
          await this.syncNodes();
        } catch (err) {
          if (!this.abort.signal.aborted) process.stderr.write(`kubelet-and-scheduler: ${String(err)}\n`);
        }
        await sleep(intervalMs, this.abort.signal);
      }
    })();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  async schedulePods(): Promise<void> {
    const { items } = await this.pods.list({ namespace: this.namespace });
    const unbound = items.filter((p) => !p.spec?.nodeName && !p.metadata?.deletionTimestamp);
    if (!unbound.length) return;
    await this.bindNominated(unbound);
    const waiting = unbound.filter((p) => !p.status?.conditions?.some((c) => c.type === 'PodScheduled'));
    await Promise.all(
      waiting.map((p) =>
        this.pods.patch(
          p.metadata!.name!,
          this.namespace,
          { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/0 nodes are available', lastTransitionTime: new Date().toISOString() }] } },
          'merge',
          'status',
        ),
      ),
    );
  }

  private async bindNominated(unbound: V1Pod[]): Promise<void> {
    const { items: events } = await this.events.list({ namespace: this.namespace, fieldSelector: 'reason=Nominated' });
    const target = new Map(events.map((e) => [e.involvedObject.name, e.message?.replace('Pod should schedule on: ', '') ?? '']));
    const { items: claims } = await this.nodeClaims.list();
    const { items: nodes } = await this.nodes.list();
    const initialized = new Set(nodes.filter((n) => n.metadata?.labels?.['karpenter.sh/initialized'] === 'true').map((n) => n.metadata!.name!));
    for (const pod of unbound) {
      const [kind, name] = (target.get(pod.metadata!.name!) ?? '').split('/');
      const nodeName = kind === 'nodeclaim' ? claims.find((c) => c.metadata.name === name)?.status?.nodeName : kind === 'node' ? name : undefined;
      if (!nodeName || !initialized.has(nodeName)) continue;
      await this.kube.request('POST', `/api/v1/namespaces/${this.namespace}/pods/${pod.metadata!.name}/binding`, {
        body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata!.name }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } },
      });
    }
  }

  async instances(): Promise<Instance[]> {
    const out = await this.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: `tag:kubernetes.io/cluster/${this.clusterName}`, Values: ['owned'] }] }));
    return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  }

  async syncNodes(): Promise<void> {
    const instances = await this.instances();
    const { items: nodes } = await this.nodes.list();
    const byProviderID = new Map(nodes.map((n) => [n.spec?.providerID, n]));
    for (const instance of instances) {
      const zone = instance.Placement!.AvailabilityZone!;
      const providerID = `aws:///${zone}/${instance.InstanceId}`;
      const node = byProviderID.get(providerID);
      const state = instance.State?.Name;
      if (state === 'terminated' || state === 'shutting-down') {
        if (node) await this.nodes.delete(node.metadata!.name!);
        continue;
      }
      if (node || state !== 'running' || !this.registering) continue;
      await this.register(instance, providerID, zone);
    }
  }

  private async register(instance: Instance, providerID: string, zone: string): Promise<void> {
    // Named after the instance id, not its private DNS name: test files share one moto and one
    // API server, and moto hands out the same private addresses in every test's VPC.
    const name = `node-${instance.InstanceId}`;
    const claimName = instance.Tags?.find((t) => t.Key === 'karpenter.sh/nodeclaim')?.Value;
    const claim = claimName ? await this.nodeClaims.get(claimName) : undefined;
    await this.nodes.create({
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': instance.Architecture === 'arm64' ? 'arm64' : 'amd64',
          'node.kubernetes.io/instance-type': instance.InstanceType!,
          'topology.kubernetes.io/zone': zone,
        },
      },
      spec: { providerID, taints: [{ key: 'karpenter.sh/unregistered', effect: 'NoExecute' }] },
    });
    const resources = claim?.status?.allocatable ?? { cpu: '2', memory: '4Gi', pods: '110' };
    await this.nodes.patch(
      name,
      undefined,
      {
        status: {
          capacity: claim?.status?.capacity ?? resources,
          allocatable: resources,
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }],
        },
      },
      'merge',
      'status',
    );
  }
}
