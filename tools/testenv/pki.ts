// Certificates for one test cluster, made with the openssl CLI at start: a CA, the API server's
// serving certificate, an admin client certificate (group system:masters) and the service-account
// signing key pair.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterPki {
  caCert: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.error) throw new Error(`cannot run openssl (${result.error.message}); install it (apt-get install openssl)`);
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
}

function ecKey(dir: string, name: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name], dir);
}

function signedCert(dir: string, name: string, subject: string, extensions: string): void {
  ecKey(dir, `${name}.key`);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`],
    dir,
  );
}

/** Writes a fresh PKI into `dir` and returns the file paths. */
export function createClusterPki(dir: string, serviceIp: string): ClusterPki {
  mkdirSync(dir, { recursive: true });
  ecKey(dir, 'ca.key');
  openssl(['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=karpenter-ts-testenv-ca', '-days', '30', '-sha256', '-out', 'ca.crt'], dir);
  signedCert(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=IP:127.0.0.1,IP:${serviceIp},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local`,
      '',
    ].join('\n'),
  );
  signedCert(
    dir,
    'admin',
    '/O=system:masters/CN=kubernetes-admin',
    ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth', ''].join('\n'),
  );
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], dir);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const path = (name: string) => join(dir, name);
  return {
    caCert: path('ca.crt'),
    servingCert: path('apiserver.crt'),
    servingKey: path('apiserver.key'),
    adminCert: path('admin.crt'),
    adminKey: path('admin.key'),
    serviceAccountKey: path('sa.key'),
    serviceAccountPublicKey: path('sa.pub'),
  };
}

/** An admin kubeconfig with the certificates embedded, so the file alone is enough. */
export function adminKubeconfig(pki: ClusterPki, server: string): string {
  const b64 = (file: string) => readFileSync(file).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: testenv',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(pki.caCert)}`,
    'users:',
    '- name: testenv-admin',
    '  user:',
    `    client-certificate-data: ${b64(pki.adminCert)}`,
    `    client-key-data: ${b64(pki.adminKey)}`,
    'contexts:',
    '- name: testenv',
    '  context:',
    '    cluster: testenv',
    '    user: testenv-admin',
    '    namespace: default',
    'current-context: testenv',
    '',
  ].join('\n');
}
