import type { AMIFamily, BlockDeviceMapping } from './schema/ec2nodeclass.js';

/**
 * The volumes an instance gets when its EC2NodeClass lists no blockDeviceMappings. These are
 * applied at launch (they depend on the AMI family), not stored in the object, as upstream does.
 */
export function defaultBlockDeviceMappings(amiFamily: AMIFamily): BlockDeviceMapping[] {
  const gp3 = (volumeSize: string) => ({ encrypted: true, volumeSize, volumeType: 'gp3' as const });
  switch (amiFamily) {
    case 'Bottlerocket':
      // Bottlerocket boots from a small OS volume and keeps images and pods on a second one.
      return [
        { deviceName: '/dev/xvda', ebs: gp3('4Gi') },
        { deviceName: '/dev/xvdb', ebs: gp3('20Gi') },
      ];
    case 'Windows2019':
    case 'Windows2022':
    case 'Windows2025':
      return [{ deviceName: '/dev/sda1', ebs: gp3('50Gi') }];
    case 'Custom':
      return [];
    default:
      return [{ deviceName: '/dev/xvda', ebs: gp3('20Gi') }];
  }
}
