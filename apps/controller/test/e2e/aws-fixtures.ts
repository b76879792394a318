import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';

export const region = 'us-west-2';
export const zones = ['us-west-2a', 'us-west-2b', 'us-west-2c'];

export function ec2Client(endpoint: string): EC2Client {
  return new EC2Client({ region, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}

export interface AwsFixture {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  readonly amiId: string;
  readonly nodeRole: string;
}

/**
 * What a cluster's account holds before Karpenter runs: a VPC with one discovery-tagged subnet
 * per zone, a tagged security group, the node role, and an x86_64 AMI (moto has no EKS AMI
 * parameters, so EC2NodeClasses select this image by id).
 */
export async function prepareAccount(endpoint: string, clusterName: string): Promise<AwsFixture> {
  const ec2 = ec2Client(endpoint);
  const discovery = [{ Key: 'karpenter.sh/discovery', Value: clusterName }];
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const vpcId = vpc.Vpc!.VpcId!;
  const subnetIds: string[] = [];
  for (const [i, zone] of zones.entries()) {
    const subnet = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${i * 16}.0/20`, AvailabilityZone: zone, TagSpecifications: [{ ResourceType: 'subnet', Tags: discovery }] }),
    );
    subnetIds.push(subnet.Subnet!.SubnetId!);
  }
  const group = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: `${clusterName}-nodes`, Description: 'nodes', VpcId: vpcId, TagSpecifications: [{ ResourceType: 'security-group', Tags: discovery }] }),
  );
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }));
  const amiId = images.Images!.find((i) => i.ImageId && i.State === 'available')!.ImageId!;
  const nodeRole = `KarpenterNodeRole-${clusterName}`;
  const iam = new IAMClient({ region, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await iam.send(
    new CreateRoleCommand({
      RoleName: nodeRole,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  return { vpcId, subnetIds, securityGroupId: group.GroupId!, amiId, nodeRole };
}
