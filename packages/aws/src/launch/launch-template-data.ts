import type { LaunchTemplateBlockDeviceMappingRequest, RequestLaunchTemplateData } from '@aws-sdk/client-ec2';
import type { BlockDeviceMapping, EC2NodeClassSpec } from '@karpenter-ts/api';
import type { AmiFamily } from '../nodeclass/amis.js';
import { toAwsTags } from './tags.js';
import { al2023UserData } from './user-data/al2023.js';
import { bottlerocketUserData } from './user-data/bottlerocket.js';
import type { NodeBootstrap } from './user-data/node-bootstrap.js';

/** Everything that goes into one launch template; equal inputs give an equal template (and name). */
export interface LaunchTemplateInput {
  readonly amiId: string;
  readonly amiFamily: AmiFamily;
  readonly nodeClass: Pick<EC2NodeClassSpec, 'metadataOptions' | 'associatePublicIPAddress' | 'detailedMonitoring'>;
  readonly blockDeviceMappings: readonly BlockDeviceMapping[];
  readonly securityGroupIds: readonly string[];
  readonly instanceProfile: string;
  readonly bootstrap: NodeBootstrap;
  /** Tags for the network interfaces the template creates. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The user data of an AMI family: AL2023 nodeadm MIME, Bottlerocket TOML, or the user's own for Custom. */
export function userDataFor(family: AmiFamily, bootstrap: NodeBootstrap): string {
  switch (family) {
    case 'AL2023':
      return al2023UserData(bootstrap);
    case 'Bottlerocket':
      return bottlerocketUserData(bootstrap);
    case 'Custom':
      return bootstrap.customUserData ?? '';
  }
}

export function launchTemplateData(input: LaunchTemplateInput): RequestLaunchTemplateData {
  const { nodeClass } = input;
  const securityGroupIds = [...input.securityGroupIds].sort();
  const metadata = nodeClass.metadataOptions;
  return {
    ImageId: input.amiId,
    UserData: Buffer.from(userDataFor(input.amiFamily, input.bootstrap)).toString('base64'),
    IamInstanceProfile: { Name: input.instanceProfile },
    BlockDeviceMappings: input.blockDeviceMappings.map(ec2BlockDeviceMapping),
    MetadataOptions: {
      HttpEndpoint: metadata?.httpEndpoint ?? 'enabled',
      HttpProtocolIpv6: metadata?.httpProtocolIPv6 ?? 'disabled',
      HttpPutResponseHopLimit: metadata?.httpPutResponseHopLimit ?? 1,
      HttpTokens: metadata?.httpTokens ?? 'required',
    },
    Monitoring: { Enabled: nodeClass.detailedMonitoring ?? false },
    ...(nodeClass.associatePublicIPAddress === undefined
      ? { SecurityGroupIds: securityGroupIds }
      : { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: nodeClass.associatePublicIPAddress, Groups: securityGroupIds }] }),
    TagSpecifications: [{ ResourceType: 'network-interface', Tags: toAwsTags(input.tags) }],
  };
}

function ec2BlockDeviceMapping(mapping: BlockDeviceMapping): LaunchTemplateBlockDeviceMappingRequest {
  const ebs = mapping.ebs;
  return {
    DeviceName: mapping.deviceName,
    Ebs: ebs && {
      DeleteOnTermination: ebs.deleteOnTermination ?? true,
      Encrypted: ebs.encrypted,
      Iops: ebs.iops,
      KmsKeyId: ebs.kmsKeyID,
      SnapshotId: ebs.snapshotID,
      Throughput: ebs.throughput,
      VolumeSize: ebs.volumeSize === undefined ? undefined : volumeSizeGiB(ebs.volumeSize),
      VolumeType: ebs.volumeType,
    },
  };
}

const UNIT_BYTES: Record<string, number> = { Gi: 2 ** 30, Ti: 2 ** 40, G: 1e9, T: 1e12 };

/** `20Gi` → 20, `1Ti` → 1024, `100G` → 94 (EBS sizes are whole GiB, rounded up). */
export function volumeSizeGiB(size: string): number {
  const match = /^([1-9][0-9]*)(Gi|Ti|G|T)$/.exec(size);
  if (!match) throw new Error(`blockDeviceMappings volumeSize "${size}" must be a whole number with Gi, Ti, G or T, e.g. 20Gi`);
  return Math.ceil((Number(match[1]) * UNIT_BYTES[match[2]]) / 2 ** 30);
}

/**
 * The mapping that holds pods and images (the kubelet's ephemeral storage): the one marked
 * `rootVolume`, else Bottlerocket's data volume or the root device of other families.
 */
export function ephemeralStorageMapping(family: AmiFamily, mappings: readonly BlockDeviceMapping[]): BlockDeviceMapping | undefined {
  const device = family === 'Bottlerocket' ? '/dev/xvdb' : '/dev/xvda';
  return mappings.find((m) => m.rootVolume) ?? mappings.find((m) => m.deviceName === device) ?? mappings[mappings.length - 1];
}
