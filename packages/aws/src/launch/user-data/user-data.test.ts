import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { al2023UserData } from './al2023.js';
import { bottlerocketUserData } from './bottlerocket.js';
import { parseMimeMultipart } from './mime.js';
import { InvalidUserDataError, type NodeBootstrap } from './node-bootstrap.js';

const bootstrap: NodeBootstrap = {
  clusterName: 'demo',
  clusterEndpoint: 'https://demo.eks.example.com',
  clusterCABundle: 'Q0EK',
  clusterCIDR: '10.100.0.0/16',
  maxPods: 29,
  kubeReserved: { cpu: '70m', memory: '574Mi' },
  evictionHard: { 'memory.available': '100Mi' },
  labels: { 'karpenter.sh/nodepool': 'default', team: 'web' },
  taints: [
    { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
    { key: 'karpenter.sh/unregistered', effect: 'NoExecute' },
  ],
};

describe('AL2023 (nodeadm) user data', () => {
  it('is a MIME document whose NodeConfig joins the cluster with max pods, reservations, labels and taints', () => {
    const parts = parseMimeMultipart(al2023UserData(bootstrap));
    expect(parts.map((p) => p.contentType)).toEqual(['application/node.eks.aws']);
    const config = parseYaml(parts[0].body);
    expect(config).toMatchObject({
      apiVersion: 'node.eks.aws/v1alpha1',
      kind: 'NodeConfig',
      spec: {
        cluster: { name: 'demo', apiServerEndpoint: 'https://demo.eks.example.com', certificateAuthority: 'Q0EK', cidr: '10.100.0.0/16' },
        kubelet: {
          config: { maxPods: 29, kubeReserved: { cpu: '70m', memory: '574Mi' }, evictionHard: { 'memory.available': '100Mi' } },
          flags: ['--node-labels=karpenter.sh/nodepool=default,team=web', '--register-with-taints=dedicated=web:NoSchedule,karpenter.sh/unregistered:NoExecute'],
        },
      },
    });
  });

  it("puts the user's shell script before the generated NodeConfig", () => {
    const parts = parseMimeMultipart(al2023UserData({ ...bootstrap, customUserData: '#!/bin/bash\necho hello\n' }));
    expect(parts.map((p) => p.contentType)).toEqual(['text/x-shellscript; charset="us-ascii"', 'application/node.eks.aws']);
    expect(parts[0].body).toBe('#!/bin/bash\necho hello');
  });

  it("recognizes the user's own NodeConfig", () => {
    const own = 'apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    config:\n      shutdownGracePeriod: 30s\n';
    const parts = parseMimeMultipart(al2023UserData({ ...bootstrap, customUserData: own }));
    expect(parts.map((p) => p.contentType)).toEqual(['application/node.eks.aws', 'application/node.eks.aws']);
    expect(parseYaml(parts[0].body).spec.kubelet.config.shutdownGracePeriod).toBe('30s');
  });

  it("merges the parts of the user's MIME document", () => {
    const mime = [
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="BOUNDARY"',
      '',
      '--BOUNDARY',
      'Content-Type: text/x-shellscript',
      '',
      'echo one',
      '--BOUNDARY',
      'Content-Type: text/cloud-config',
      '',
      'runcmd: [echo two]',
      '--BOUNDARY--',
      '',
    ].join('\n');
    const parts = parseMimeMultipart(al2023UserData({ ...bootstrap, customUserData: mime }));
    expect(parts.map((p) => [p.contentType, p.body])).toEqual([
      ['text/x-shellscript', 'echo one'],
      ['text/cloud-config', 'runcmd: [echo two]'],
      ['application/node.eks.aws', expect.stringContaining('kind: NodeConfig')],
    ]);
  });

  it('is byte-for-byte stable for the same input (launch templates are keyed by it)', () => {
    expect(al2023UserData(bootstrap)).toBe(al2023UserData({ ...bootstrap, labels: { team: 'web', 'karpenter.sh/nodepool': 'default' } }));
  });

  it('rejects a MIME document without a boundary', () => {
    expect(() => al2023UserData({ ...bootstrap, customUserData: 'MIME-Version: 1.0\nContent-Type: multipart/mixed\n\nx' })).toThrow(/spec.userData: .*boundary/);
  });
});

describe('Bottlerocket user data', () => {
  it('sets the cluster, max pods, labels and taints in TOML', () => {
    const settings = parseToml(bottlerocketUserData(bootstrap)) as { settings: { kubernetes: Record<string, unknown> } };
    expect(settings.settings.kubernetes).toMatchObject({
      'cluster-name': 'demo',
      'api-server': 'https://demo.eks.example.com',
      'cluster-certificate': 'Q0EK',
      'max-pods': 29,
      'kube-reserved': { cpu: '70m', memory: '574Mi' },
      'node-labels': { 'karpenter.sh/nodepool': 'default', team: 'web' },
      'node-taints': { dedicated: ['web:NoSchedule'], 'karpenter.sh/unregistered': [':NoExecute'] },
    });
  });

  it("keeps the user's settings and lets the provider own the cluster keys", () => {
    const user = '[settings.kubernetes]\ncluster-name = "wrong"\nimage-gc-high-threshold-percent = 85\n[settings.kubernetes.node-labels]\nowner = "me"\n[settings.host-containers.admin]\nenabled = true\n';
    const settings = parseToml(bottlerocketUserData({ ...bootstrap, customUserData: user })) as {
      settings: { kubernetes: Record<string, unknown>; 'host-containers': unknown };
    };
    expect(settings.settings.kubernetes['cluster-name']).toBe('demo');
    expect(settings.settings.kubernetes['image-gc-high-threshold-percent']).toBe(85);
    expect(settings.settings.kubernetes['node-labels']).toEqual({ owner: 'me', 'karpenter.sh/nodepool': 'default', team: 'web' });
    expect(settings.settings['host-containers']).toEqual({ admin: { enabled: true } });
  });

  it('names spec.userData and the line when the TOML does not parse', () => {
    expect(() => bottlerocketUserData({ ...bootstrap, customUserData: '[settings\nx = ' })).toThrow(InvalidUserDataError);
    expect(() => bottlerocketUserData({ ...bootstrap, customUserData: '[settings\nx = ' })).toThrow(/spec.userData: Bottlerocket user data must be TOML.*line 1/);
  });
});
