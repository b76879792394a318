// Shared set-up for the integration tests against moto: clients that record the IAM action of
// every call, a uniquely named cluster (files run in parallel against one moto), its network,
// node role and seeded AMI parameters.
import { randomUUID } from 'node:crypto';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { EC2NodeClass, NodeClaim, NodeSelectorRequirement } from '@karpenter-ts/api';
import { AwsCloudProvider, type AwsCloudProviderOptions } from '../src/cloud-provider.js';
import { createAwsClients, type AwsClients } from '../src/clients.js';
import { aliasParameterName } from '../src/nodeclass/amis.js';

export const REGION = process.env.AWS_REGION ?? 'us-west-2';
export const KUBERNETES_VERSION = '1.33';

export function motoEndpoint(): string {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new Error('AWS_ENDPOINT_URL is not set: run these tests in the vitest integration project (it starts moto)');
  return endpoint;
}

/** `name-1a2b3c4d`: a cluster of its own for each test file. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * Clients pointed at moto (EC2 optionally through another endpoint) that record every IAM
 * action called: give them to the provider only, and set fixtures up with {@link fixtureClients}.
 */
export function recordingClients(ec2Endpoint?: string): { clients: AwsClients; actions: Set<string> } {
  const actions = new Set<string>();
  const clients = createAwsClients({
    region: REGION,
    endpoint: motoEndpoint(),
    endpoints: ec2Endpoint ? { ec2: ec2Endpoint } : undefined,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 2,
    onAction: (action) => actions.add(action),
  });
  return { clients, actions };
}

/** Clients for test fixtures (their calls are not the provider's). */
export function fixtureClients(): AwsClients {
  return createAwsClients({ region: REGION, endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 2 });
}

export interface TestNetwork {
  readonly vpcId: string;
  /** Tagged for discovery: two in us-west-2a (the second with fewer free addresses), one in us-west-2b. */
  readonly subnets: readonly { id: string; zone: string }[];
  /** In us-west-2c, not tagged for this cluster. */
  readonly untaggedSubnetId: string;
  readonly securityGroupId: string;
  readonly securityGroupName: string;
}

export const discoveryTag = (clusterName: string) => ({ 'karpenter.sh/discovery': clusterName });

export async function createNetwork(ec2: EC2Client, clusterName: string): Promise<TestNetwork> {
  const tags = (extra: Record<string, string> = {}) => [{ ResourceType: 'subnet' as const, Tags: toTags({ ...discoveryTag(clusterName), ...extra }) }];
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const vpcId = vpc.Vpc!.VpcId!;
  const subnet = async (cidr: string, zone: string, tagged: boolean) =>
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone, TagSpecifications: tagged ? tags({ zone }) : undefined })))
      .Subnet!.SubnetId!;
  const a1 = await subnet('10.20.0.0/20', `${REGION}a`, true);
  const a2 = await subnet('10.20.16.0/26', `${REGION}a`, true);
  const b1 = await subnet('10.20.32.0/20', `${REGION}b`, true);
  const untaggedSubnetId = await subnet('10.20.48.0/20', `${REGION}c`, false);
  const securityGroupName = `${clusterName}-nodes`;
  const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: securityGroupName, Description: 'nodes', VpcId: vpcId }));
  await ec2.send(new CreateTagsCommand({ Resources: [group.GroupId!], Tags: toTags(discoveryTag(clusterName)) }));
  return {
    vpcId,
    subnets: [
      { id: a1, zone: `${REGION}a` },
      { id: a2, zone: `${REGION}a` },
      { id: b1, zone: `${REGION}b` },
    ],
    untaggedSubnetId,
    securityGroupId: group.GroupId!,
    securityGroupName,
  };
}

/** A Linux AMI of each architecture from moto's defaults. */
export async function pickAmis(ec2: EC2Client): Promise<{ amd64: string; arm64: string }> {
  const images = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images ?? [];
  const linux = images.filter((i) => String(i.Platform ?? '').toLowerCase() !== 'windows' && i.State === 'available').sort((a, b) => a.ImageId!.localeCompare(b.ImageId!));
  return {
    amd64: linux.find((i) => i.Architecture === 'x86_64')!.ImageId!,
    arm64: linux.find((i) => i.Architecture === 'arm64')!.ImageId!,
  };
}

/** Seeds the AL2023 alias parameters under a private prefix (moto refuses writes under /aws/service). */
export async function seedAliasParameters(ssm: SSMClient, prefix: string, amis: { amd64: string; arm64: string }): Promise<void> {
  for (const architecture of ['amd64', 'arm64'] as const) {
    const Name = aliasParameterName('al2023@latest', architecture, { kubernetesVersion: KUBERNETES_VERSION, ssmParameterPrefix: prefix });
    await ssm.send(new PutParameterCommand({ Name, Value: amis[architecture], Type: 'String', Overwrite: true }));
  }
}

export async function createNodeRole(iam: IAMClient, name: string): Promise<string> {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  const out = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  return out.Role!.RoleName!;
}

export function nodeClassFor(clusterName: string, name: string, spec: Partial<EC2NodeClass['spec']> = {}): EC2NodeClass {
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name, generation: 1 },
    spec: {
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: discoveryTag(clusterName) }],
      securityGroupSelectorTerms: [{ tags: discoveryTag(clusterName) }],
      role: `${clusterName}-node`,
      metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
      ...spec,
    },
  };
}

export function nodeClaimFor(name: string, nodeClassName: string, requirements: NodeSelectorRequirement[], nodePool = 'default'): NodeClaim {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: { name, labels: { 'karpenter.sh/nodepool': nodePool } },
    spec: {
      requirements: requirements.map((r) => ({ ...r, values: r.values ? [...r.values] : undefined })),
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: nodeClassName },
      expireAfter: '720h',
      resources: { requests: { cpu: '1', memory: '1Gi' } },
    },
  };
}

/** A provider for one test cluster whose EC2NodeClasses live in a map the test edits. */
export function providerFor(
  clients: AwsClients,
  clusterName: string,
  nodeClasses: Map<string, EC2NodeClass>,
  options: Partial<AwsCloudProviderOptions> = {},
): AwsCloudProvider {
  return new AwsCloudProvider(clients, {
    region: REGION,
    clusterName,
    clusterEndpoint: 'https://cluster.example.com',
    clusterCABundle: Buffer.from('-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n').toString('base64'),
    kubernetesVersion: KUBERNETES_VERSION,
    ssmParameterPrefix: `/${clusterName}`,
    nodeClass: async (name) => nodeClasses.get(name),
    ...options,
  });
}

export function toTags(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
