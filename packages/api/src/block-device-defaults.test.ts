import { describe, expect, it } from 'vitest';
import { defaultBlockDeviceMappings } from './block-device-defaults.js';

describe('defaultBlockDeviceMappings', () => {
  it('gives Amazon Linux one encrypted 20Gi gp3 root volume', () => {
    expect(defaultBlockDeviceMappings('AL2023')).toEqual([{ deviceName: '/dev/xvda', ebs: { encrypted: true, volumeSize: '20Gi', volumeType: 'gp3' } }]);
    expect(defaultBlockDeviceMappings('AL2')).toEqual(defaultBlockDeviceMappings('AL2023'));
  });

  it('gives Bottlerocket an OS volume and a data volume', () => {
    expect(defaultBlockDeviceMappings('Bottlerocket').map((m) => [m.deviceName, m.ebs?.volumeSize])).toEqual([
      ['/dev/xvda', '4Gi'],
      ['/dev/xvdb', '20Gi'],
    ]);
  });

  it('gives Windows a 50Gi /dev/sda1 and Custom nothing (the AMI decides)', () => {
    expect(defaultBlockDeviceMappings('Windows2022')[0]).toMatchObject({ deviceName: '/dev/sda1', ebs: { volumeSize: '50Gi' } });
    expect(defaultBlockDeviceMappings('Custom')).toEqual([]);
  });

  it('returns fresh objects a caller may change', () => {
    const mappings = defaultBlockDeviceMappings('AL2023');
    mappings[0].ebs!.volumeSize = '100Gi';
    expect(defaultBlockDeviceMappings('AL2023')[0].ebs?.volumeSize).toBe('20Gi');
  });
});
