import { describe, expect, it } from 'vitest';
import { launchTemplateData, volumeSizeGiB } from './launch-template-data.js';
import { launchTemplateName } from './launch-templates.js';
import type { LaunchTemplateInput } from './launch-template-data.js';

const input: LaunchTemplateInput = {
  amiId: 'ami-1',
  amiFamily: 'AL2023',
  nodeClass: { metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' } },
  blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: '20Gi', volumeType: 'gp3', encrypted: true } }],
  securityGroupIds: ['sg-2', 'sg-1'],
  instanceProfile: 'demo_profile',
  bootstrap: { clusterName: 'demo', clusterEndpoint: 'https://e', clusterCABundle: 'Q0EK', maxPods: 29, labels: {}, taints: [] },
  tags: { team: 'web' },
};

describe('launch template content and name', () => {
  it('maps the EC2NodeClass into launch template data', () => {
    const data = launchTemplateData(input);
    expect(data).toMatchObject({
      ImageId: 'ami-1',
      IamInstanceProfile: { Name: 'demo_profile' },
      SecurityGroupIds: ['sg-1', 'sg-2'],
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } }],
    });
    expect(Buffer.from(data.UserData!, 'base64').toString()).toContain('kind: NodeConfig');
  });

  it('puts security groups on the network interface when associatePublicIPAddress is set', () => {
    const data = launchTemplateData({ ...input, nodeClass: { ...input.nodeClass, associatePublicIPAddress: false } });
    expect(data.SecurityGroupIds).toBeUndefined();
    expect(data.NetworkInterfaces).toEqual([{ DeviceIndex: 0, AssociatePublicIpAddress: false, Groups: ['sg-1', 'sg-2'] }]);
  });

  it('names equal content equally, whatever the order of security groups', () => {
    const name = launchTemplateName('demo', launchTemplateData(input));
    expect(name).toMatch(/^karpenter\.k8s\.aws\/[0-9a-f]{32}$/);
    expect(launchTemplateName('demo', launchTemplateData({ ...input, securityGroupIds: ['sg-1', 'sg-2'] }))).toBe(name);
  });

  it.each<[string, Partial<LaunchTemplateInput>]>([
    ['AMI', { amiId: 'ami-2' }],
    ['user data', { bootstrap: { ...input.bootstrap, maxPods: 58 } }],
    ['block devices', { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: '40Gi' } }] }],
    ['metadata options', { nodeClass: { metadataOptions: { ...input.nodeClass.metadataOptions, httpPutResponseHopLimit: 2 } } }],
    ['security groups', { securityGroupIds: ['sg-1'] }],
    ['instance profile', { instanceProfile: 'other' }],
    ['tags', { tags: { team: 'data' } }],
  ])('gives another name when the %s changes', (_what, change) => {
    expect(launchTemplateName('demo', launchTemplateData({ ...input, ...change }))).not.toBe(launchTemplateName('demo', launchTemplateData(input)));
  });

  it('gives another cluster another name', () => {
    expect(launchTemplateName('other', launchTemplateData(input))).not.toBe(launchTemplateName('demo', launchTemplateData(input)));
  });

  it('converts volume sizes to whole GiB', () => {
    expect(volumeSizeGiB('20Gi')).toBe(20);
    expect(volumeSizeGiB('1Ti')).toBe(1024);
    expect(volumeSizeGiB('100G')).toBe(94);
    expect(() => volumeSizeGiB('20Mi')).toThrow(/volumeSize "20Mi"/);
  });
});
