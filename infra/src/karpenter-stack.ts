import type { Construct } from 'constructs';
import { Fn, TerraformOutput, TerraformStack } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js';
import { DataAwsEksClusterAuth } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-auth/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider/index.js';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import type { InfraConfig } from './config.js';
import { ControllerRelease } from './controller-release.js';
import { ControllerRole } from './controller-role.js';
import { InterruptionQueue } from './interruption-queue.js';
import { resourceNames } from './names.js';
import { NodeAccess } from './node-access.js';
import { NodeRole } from './node-role.js';

/**
 * Everything an existing EKS cluster needs for the controller: node role, controller role and
 * policies, node access, interruption queue and rules, and the Helm releases of the charts.
 *
 * ```ts
 * const app = new App();
 * new KarpenterStack(app, 'karpenter', parseInfraConfig(raw, 'karpenter-infra.json', { chartPath, crdChartPath }));
 * app.synth();
 * ```
 */
export class KarpenterStack extends TerraformStack {
  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);
    const names = resourceNames(config);

    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: Object.keys(config.tags).length > 0 ? [{ tags: config.tags }] : undefined,
    });
    const partition = new DataAwsPartition(this, 'partition');
    const caller = new DataAwsCallerIdentity(this, 'caller');
    const cluster = new DataAwsEksCluster(this, 'cluster', { name: config.clusterName });
    const clusterAuth = new DataAwsEksClusterAuth(this, 'cluster-auth', { name: config.clusterName });
    const clusterEndpoint = config.clusterEndpoint ?? cluster.endpoint;
    const kubernetesAccess = {
      host: clusterEndpoint,
      clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      token: clusterAuth.token,
    };
    new KubernetesProvider(this, 'kubernetes', kubernetesAccess);
    new HelmProvider(this, 'helm', { kubernetes: kubernetesAccess });

    const nodeRole = new NodeRole(this, 'node-role', {
      name: names.nodeRole,
      partition: partition.partition,
      dnsSuffix: partition.dnsSuffix,
      createInstanceProfile: config.createNodeInstanceProfile,
    });
    const serviceAccount = { namespace: config.namespace, serviceAccount: config.serviceAccount };
    const controllerRole = new ControllerRole(this, 'controller-role', {
      roleName: names.controllerRole,
      policyNames: names.policies,
      identity: config.identity,
      serviceAccount,
      cluster,
      policyScope: {
        partition: partition.partition,
        dnsSuffix: partition.dnsSuffix,
        accountId: caller.accountId,
        region: config.region,
        clusterName: config.clusterName,
        nodeRoleName: names.nodeRole,
        interruptionQueueName: names.interruptionQueue,
      },
    });
    const nodeAccess = new NodeAccess(this, 'node-access', {
      access: config.nodeAccess,
      cluster,
      nodeRole: nodeRole.role,
    });
    const interruption = new InterruptionQueue(this, 'interruption', {
      queueName: names.interruptionQueue,
      ruleNames: names.rules,
      clusterName: config.clusterName,
    });
    const release = new ControllerRelease(this, 'controller', {
      chart: config.chart,
      namespace: config.namespace,
      serviceAccount: config.serviceAccount,
      identity: config.identity,
      clusterName: config.clusterName,
      clusterEndpoint,
      region: config.region,
      interruptionQueueName: names.interruptionQueue,
      controllerRoleArn: controllerRole.role.arn,
      dependsOn: [...controllerRole.ready, nodeAccess.grant, interruption.queuePolicy, ...Object.values(interruption.rules)],
    });

    const outputs: Record<string, { value: string; description: string }> = {
      cluster_name: { value: config.clusterName, description: 'EKS cluster name (chart: settings.clusterName)' },
      cluster_endpoint: { value: clusterEndpoint, description: 'API server endpoint (chart: settings.clusterEndpoint)' },
      node_role_name: { value: nodeRole.role.name, description: 'Node role: the spec.role of EC2NodeClasses' },
      node_role_arn: { value: nodeRole.role.arn, description: 'Node role ARN' },
      controller_role_arn: { value: controllerRole.role.arn, description: 'Controller role ARN (IRSA: serviceAccount.annotations eks.amazonaws.com/role-arn)' },
      identity_mode: { value: config.identity.mode, description: 'How the controller assumes its role: irsa or podIdentity' },
      interruption_queue_name: { value: interruption.queue.name, description: 'Interruption queue name (chart: settings.interruptionQueue)' },
      interruption_queue_arn: { value: interruption.queue.arn, description: 'Interruption queue ARN' },
      interruption_queue_url: { value: interruption.queue.url, description: 'Interruption queue URL' },
      namespace: { value: config.namespace, description: 'Namespace of the controller' },
      service_account: { value: config.serviceAccount, description: 'Service account of the controller (chart: serviceAccount.name)' },
      helm_release_name: { value: release.release.name, description: 'Helm release of the controller chart' },
      aws_region: { value: config.region, description: 'AWS region (chart: settings.awsRegion)' },
    };
    if (nodeRole.instanceProfile) {
      outputs.node_instance_profile_name = { value: nodeRole.instanceProfile.name, description: 'Instance profile of the node role (spec.instanceProfile of EC2NodeClasses)' };
    }
    for (const [name, output] of Object.entries(outputs)) new TerraformOutput(this, name, output);
  }
}
