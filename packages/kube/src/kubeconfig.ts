import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

/**
 * How to reach and authenticate to the API server. Loaded without `@kubernetes/client-node`'s
 * KubeConfig on purpose: that one pulls in the whole generated API at run time (tens of MB of
 * memory the controller never uses).
 */
export interface KubeConnection {
  readonly server: string;
  /** PEM of the cluster CA, if any. */
  readonly ca?: Buffer;
  readonly insecureSkipTlsVerify?: boolean;
  readonly tlsServerName?: string;
  readonly clientCert?: Buffer;
  readonly clientKey?: Buffer;
  /** The Authorization header value for the next request (tokens are re-read or refreshed as needed). */
  authorization(): Promise<string | undefined>;
}

const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

interface NamedCluster {
  name: string;
  cluster: { server: string; 'certificate-authority'?: string; 'certificate-authority-data'?: string; 'insecure-skip-tls-verify'?: boolean; 'tls-server-name'?: string };
}
interface ExecConfig {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
  apiVersion?: string;
}
interface NamedUser {
  name: string;
  user: {
    token?: string;
    tokenFile?: string;
    'client-certificate'?: string;
    'client-certificate-data'?: string;
    'client-key'?: string;
    'client-key-data'?: string;
    username?: string;
    password?: string;
    exec?: ExecConfig;
  };
}
interface KubeConfigFile {
  'current-context'?: string;
  clusters?: NamedCluster[];
  users?: NamedUser[];
  contexts?: { name: string; context: { cluster: string; user?: string } }[];
}

/** The in-cluster service account (when running in a pod), else KUBECONFIG's first file, else ~/.kube/config. */
export function loadKubeConnection(kubeconfigPath: string | undefined = process.env.KUBECONFIG): KubeConnection {
  if (kubeconfigPath) return fromKubeconfig(kubeconfigPath.split(':').find((p) => p && existsSync(p)) ?? kubeconfigPath);
  if (process.env.KUBERNETES_SERVICE_HOST && existsSync(join(serviceAccountDir, 'token'))) return inCluster();
  return fromKubeconfig(join(homedir(), '.kube', 'config'));
}

function inCluster(): KubeConnection {
  const host = process.env.KUBERNETES_SERVICE_HOST!;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  const tokenPath = join(serviceAccountDir, 'token');
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca: readFileSync(join(serviceAccountDir, 'ca.crt')),
    // Projected tokens rotate: read the file each time (the kubelet rewrites it).
    authorization: async () => `Bearer ${readFileSync(tokenPath, 'utf8').trim()}`,
  };
}

export function fromKubeconfig(path: string): KubeConnection {
  let file: KubeConfigFile;
  try {
    file = parse(readFileSync(path, 'utf8')) as KubeConfigFile;
  } catch (err) {
    throw new Error(`cannot read kubeconfig ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const contextName = file['current-context'];
  const context = file.contexts?.find((c) => c.name === contextName)?.context;
  if (!context) throw new Error(`kubeconfig ${path}: current-context "${contextName ?? ''}" is not among its contexts: set current-context`);
  const cluster = file.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`kubeconfig ${path}: cluster "${context.cluster}" of context "${contextName}" is missing or has no server`);
  const user = file.users?.find((u) => u.name === context.user)?.user ?? {};
  const base = dirname(path);
  const fileOrData = (file?: string, data?: string) => (data ? Buffer.from(data, 'base64') : file ? readFileSync(isAbsolute(file) ? file : join(base, file)) : undefined);
  let authorization: () => Promise<string | undefined> = async () => undefined;
  if (user.token) authorization = async () => `Bearer ${user.token}`;
  else if (user.tokenFile) authorization = async () => `Bearer ${readFileSync(isAbsolute(user.tokenFile!) ? user.tokenFile! : join(base, user.tokenFile!), 'utf8').trim()}`;
  else if (user.username) authorization = async () => `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  else if (user.exec) authorization = execCredential(user.exec);
  return {
    server: cluster.server,
    ca: fileOrData(cluster['certificate-authority'], cluster['certificate-authority-data']),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'],
    tlsServerName: cluster['tls-server-name'],
    clientCert: fileOrData(user['client-certificate'], user['client-certificate-data']),
    clientKey: fileOrData(user['client-key'], user['client-key-data']),
    authorization,
  };
}

/** A client-go credential plugin (e.g. `aws eks get-token`): run it, cache the token until shortly before it expires. */
function execCredential(exec: ExecConfig): () => Promise<string | undefined> {
  let cached: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.expiresAt) return `Bearer ${cached.token}`;
    const env = { ...process.env, ...Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value])) };
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(exec.command, exec.args ?? [], { env, timeout: 30_000 }, (err, out) => (err ? reject(new Error(`kubeconfig exec plugin ${exec.command} failed: ${err.message}`)) : resolve(out))),
    );
    const status = (JSON.parse(stdout) as { status?: { token?: string; expirationTimestamp?: string } }).status;
    if (!status?.token) throw new Error(`kubeconfig exec plugin ${exec.command} returned no status.token`);
    const expires = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) - 60_000 : Date.now() + 5 * 60_000;
    cached = { token: status.token, expiresAt: expires };
    return `Bearer ${status.token}`;
  };
}
