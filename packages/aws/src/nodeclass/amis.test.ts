import { describe, expect, it } from 'vitest';
import { aliasParameterName, newestPerArchitecture, nodeClassAmiFamily } from './amis.js';

describe('aliasParameterName', () => {
  const options = { kubernetesVersion: '1.33' };
  it('points al2023@latest at the recommended EKS-optimized AMI of each architecture', () => {
    expect(aliasParameterName('al2023@latest', 'amd64', options)).toBe('/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id');
    expect(aliasParameterName('al2023@latest', 'arm64', options)).toBe('/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/standard/recommended/image_id');
  });
  it('pins a version and honours a custom prefix', () => {
    expect(aliasParameterName('al2023@v20250101', 'amd64', { ...options, ssmParameterPrefix: '/test/' })).toBe(
      '/test/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.33-v20250101/image_id',
    );
    expect(aliasParameterName('bottlerocket@v1.30.0', 'arm64', options)).toBe('/aws/service/bottlerocket/aws-k8s-1.33/arm64/1.30.0/image_id');
    expect(aliasParameterName('bottlerocket@latest', 'amd64', options)).toBe('/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id');
  });
  it('rejects an alias family it cannot resolve, naming the field', () => {
    expect(() => aliasParameterName('windows2022@latest', 'amd64', options)).toThrow(/amiSelectorTerms\[0\].alias "windows2022" .*unsupported/);
  });
});

describe('newestPerArchitecture', () => {
  it('keeps the newest available image of each architecture', () => {
    const amis = newestPerArchitecture([
      { ImageId: 'ami-old', Architecture: 'x86_64', CreationDate: '2025-01-01T00:00:00Z', State: 'available' },
      { ImageId: 'ami-new', Architecture: 'x86_64', CreationDate: '2025-06-01T00:00:00Z', State: 'available' },
      { ImageId: 'ami-pending', Architecture: 'x86_64', CreationDate: '2025-09-01T00:00:00Z', State: 'pending' },
      { ImageId: 'ami-arm', Architecture: 'arm64', CreationDate: '2025-03-01T00:00:00Z', State: 'available' },
      { ImageId: 'ami-mac', Architecture: 'x86_64_mac', CreationDate: '2025-12-01T00:00:00Z', State: 'available' },
    ]);
    expect(amis.map((a) => [a.id, a.architecture])).toEqual([
      ['ami-new', 'amd64'],
      ['ami-arm', 'arm64'],
    ]);
  });
});

describe('nodeClassAmiFamily', () => {
  it('takes amiFamily, else the alias family', () => {
    expect(nodeClassAmiFamily({ amiSelectorTerms: [{ alias: 'bottlerocket@latest' }] })).toBe('Bottlerocket');
    expect(nodeClassAmiFamily({ amiFamily: 'Custom', amiSelectorTerms: [{ id: 'ami-1' }] })).toBe('Custom');
  });
  it('says which families are supported', () => {
    expect(() => nodeClassAmiFamily({ amiFamily: 'AL2', amiSelectorTerms: [{ id: 'ami-1' }] })).toThrow(/amiFamily AL2 is not supported.*AL2023/);
  });
});
