import { stringify } from 'yaml';
import { formatMimeMultipart, isMimeMultipart, parseMimeMultipart, type MimePart } from './mime.js';
import { sortedEntries, taintString, type NodeBootstrap } from './node-bootstrap.js';

const NODE_CONFIG_TYPE = 'application/node.eks.aws';

/**
 * AL2023 user data: a MIME multipart document whose parts are the user's `userData` (MIME parts,
 * a NodeConfig or a shell script) followed by the nodeadm NodeConfig that joins the cluster.
 * nodeadm merges NodeConfig parts in order, so the generated join settings take effect last.
 */
export function al2023UserData(bootstrap: NodeBootstrap): string {
  return formatMimeMultipart([...userParts(bootstrap.customUserData), { contentType: NODE_CONFIG_TYPE, body: nodeConfig(bootstrap) }]);
}

function userParts(userData: string | undefined): MimePart[] {
  if (!userData?.trim()) return [];
  if (isMimeMultipart(userData)) return parseMimeMultipart(userData);
  const isNodeConfig = /^\s*apiVersion:\s*node\.eks\.aws\//m.test(userData) && /^\s*kind:\s*NodeConfig/m.test(userData);
  return [{ contentType: isNodeConfig ? NODE_CONFIG_TYPE : 'text/x-shellscript; charset="us-ascii"', body: userData }];
}

function nodeConfig(b: NodeBootstrap): string {
  const config: Record<string, unknown> = {};
  if (b.maxPods !== undefined) config.maxPods = b.maxPods;
  if (b.clusterDNS?.length) config.clusterDNS = [...b.clusterDNS];
  if (b.kubeReserved) config.kubeReserved = Object.fromEntries(sortedEntries(b.kubeReserved));
  if (b.systemReserved) config.systemReserved = Object.fromEntries(sortedEntries(b.systemReserved));
  if (b.evictionHard) config.evictionHard = Object.fromEntries(sortedEntries(b.evictionHard));
  const flags: string[] = [];
  const labels = sortedEntries(b.labels);
  if (labels.length) flags.push(`--node-labels=${labels.map(([k, v]) => `${k}=${v}`).join(',')}`);
  if (b.taints.length) flags.push(`--register-with-taints=${b.taints.map(taintString).join(',')}`);
  return stringify({
    apiVersion: 'node.eks.aws/v1alpha1',
    kind: 'NodeConfig',
    spec: {
      cluster: {
        name: b.clusterName,
        apiServerEndpoint: b.clusterEndpoint,
        certificateAuthority: b.clusterCABundle,
        ...(b.clusterCIDR ? { cidr: b.clusterCIDR } : {}),
      },
      kubelet: { config, flags },
    },
  });
}
