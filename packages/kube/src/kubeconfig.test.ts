import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromKubeconfig } from './kubeconfig.js';

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('fromKubeconfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));

  it('reads the current context: server, CA data, token', async () => {
    const path = write(
      dir,
      'token.yaml',
      `apiVersion: v1
kind: Config
current-context: b
clusters:
- name: a
  cluster: {server: https://wrong:6443}
- name: b
  cluster: {server: https://127.0.0.1:6443, certificate-authority-data: ${Buffer.from('CA PEM').toString('base64')}, tls-server-name: kubernetes}
users:
- name: admin
  user: {token: s3cret}
contexts:
- name: b
  context: {cluster: b, user: admin}
`,
    );
    const c = fromKubeconfig(path);
    expect(c.server).toBe('https://127.0.0.1:6443');
    expect(c.ca?.toString()).toBe('CA PEM');
    expect(c.tlsServerName).toBe('kubernetes');
    expect(await c.authorization()).toBe('Bearer s3cret');
  });

  it('reads certificate files relative to the kubeconfig, and basic auth', async () => {
    write(dir, 'client.crt', 'CERT');
    write(dir, 'client.key', 'KEY');
    const path = write(
      dir,
      'cert.yaml',
      `current-context: c
clusters: [{name: c, cluster: {server: https://h, insecure-skip-tls-verify: true}}]
users: [{name: u, user: {client-certificate: client.crt, client-key: client.key, username: bob, password: pw}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
`,
    );
    const c = fromKubeconfig(path);
    expect(c.clientCert?.toString()).toBe('CERT');
    expect(c.clientKey?.toString()).toBe('KEY');
    expect(c.insecureSkipTlsVerify).toBe(true);
    expect(await c.authorization()).toBe(`Basic ${Buffer.from('bob:pw').toString('base64')}`);
  });

  it('runs an exec credential plugin and caches its token', async () => {
    const plugin = write(dir, 'plugin.sh', `#!/bin/sh\necho x >> ${join(dir, 'calls')}\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"'$TOKEN'","expirationTimestamp":"2999-01-01T00:00:00Z"}}'\n`);
    const path = write(
      dir,
      'exec.yaml',
      `current-context: e
clusters: [{name: e, cluster: {server: https://h}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: sh, args: [${plugin}], env: [{name: TOKEN, value: from-plugin}]}}}]
contexts: [{name: e, context: {cluster: e, user: u}}]
`,
    );
    const c = fromKubeconfig(path);
    expect(await c.authorization()).toBe('Bearer from-plugin');
    expect(await c.authorization()).toBe('Bearer from-plugin');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('names the kubeconfig and what to fix when the context is missing', () => {
    const path = write(dir, 'bad.yaml', 'current-context: nope\ncontexts: []\n');
    expect(() => fromKubeconfig(path)).toThrow(`kubeconfig ${path}: current-context "nope" is not among its contexts`);
  });
});
