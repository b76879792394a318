import { parse, stringify, TomlError } from 'smol-toml';
import { InvalidUserDataError, sortedEntries, type NodeBootstrap } from './node-bootstrap.js';

type Table = Record<string, unknown>;

/**
 * Bottlerocket user data: the user's TOML settings with the cluster join settings, labels and
 * taints set by the provider on top (the provider's values win for the keys it owns; the user's
 * labels and taints are kept unless a NodeClaim sets the same key).
 */
export function bottlerocketUserData(bootstrap: NodeBootstrap): string {
  const settings = userSettings(bootstrap.customUserData);
  const root = table(settings, 'settings');
  const kubernetes = table(root, 'kubernetes');
  kubernetes['cluster-name'] = bootstrap.clusterName;
  kubernetes['api-server'] = bootstrap.clusterEndpoint;
  kubernetes['cluster-certificate'] = bootstrap.clusterCABundle;
  if (bootstrap.clusterDNS?.length) kubernetes['cluster-dns-ip'] = bootstrap.clusterDNS.length === 1 ? bootstrap.clusterDNS[0] : [...bootstrap.clusterDNS];
  if (bootstrap.maxPods !== undefined) kubernetes['max-pods'] = bootstrap.maxPods;
  mergeInto(kubernetes, 'kube-reserved', bootstrap.kubeReserved);
  mergeInto(kubernetes, 'system-reserved', bootstrap.systemReserved);
  mergeInto(kubernetes, 'eviction-hard', bootstrap.evictionHard);
  mergeInto(kubernetes, 'node-labels', bootstrap.labels);
  const taints = table(kubernetes, 'node-taints');
  for (const taint of bootstrap.taints) {
    const value = `${taint.value ?? ''}:${taint.effect}`;
    const existing = Array.isArray(taints[taint.key]) ? (taints[taint.key] as string[]) : [];
    taints[taint.key] = existing.includes(value) ? existing : [...existing, value];
  }
  if (Object.keys(taints).length === 0) delete kubernetes['node-taints'];
  return stringify(settings) + '\n';
}

function userSettings(userData: string | undefined): Table {
  if (!userData?.trim()) return {};
  try {
    return parse(userData) as Table;
  } catch (error) {
    const where = error instanceof TomlError ? ` at line ${error.line}` : '';
    throw new InvalidUserDataError(`Bottlerocket user data must be TOML; it does not parse${where}: ${(error as Error).message.split('\n')[0]}`);
  }
}

function table(parent: Table, key: string): Table {
  const existing = parent[key];
  if (existing !== undefined && (typeof existing !== 'object' || existing === null || Array.isArray(existing))) {
    throw new InvalidUserDataError(`"${key}" must be a TOML table in Bottlerocket user data`);
  }
  return (parent[key] ??= {}) as Table;
}

function mergeInto(parent: Table, key: string, values: Readonly<Record<string, string>> | undefined): void {
  if (!values || Object.keys(values).length === 0) return;
  const target = table(parent, key);
  for (const [k, v] of sortedEntries(values)) target[k] = v;
}
