import { paginateDescribeImages, type EC2Client, type Filter, type Image } from '@aws-sdk/client-ec2';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { hasErrorCode } from '../errors.js';
import { filtersForTerm, type SelectorTerm } from './selector-terms.js';

export interface AmiSelectorTerm extends SelectorTerm {
  /** `family@version`, e.g. `al2023@latest`, `bottlerocket@v1.30.0`; must be the only term. */
  readonly alias?: string;
  /** `self`, `amazon` or an account id. */
  readonly owner?: string;
  readonly ssmParameter?: string;
}

export type Architecture = 'amd64' | 'arm64';

/** An AMI an EC2NodeClass resolved, as written to its status (`requirements` hold the architecture). */
export interface ResolvedAmi {
  readonly id: string;
  readonly name: string;
  readonly architecture: Architecture;
  readonly creationDate: string;
}

export type AmiFamily = 'AL2023' | 'Bottlerocket' | 'Custom';

export interface AmiResolverOptions {
  /** The cluster's Kubernetes minor version, e.g. `1.33`, which selects the EKS-optimized AMI. */
  readonly kubernetesVersion: string;
  /** Where the public AMI parameters live; `/aws/service` in AWS, anything else for a seeded test account. */
  readonly ssmParameterPrefix?: string;
}

const ALIAS_FAMILIES: Record<string, Exclude<AmiFamily, 'Custom'>> = { al2023: 'AL2023', bottlerocket: 'Bottlerocket' };

/** The AMI family an alias names (`al2023@latest` → AL2023), or an error naming the field. */
export function aliasFamily(alias: string): Exclude<AmiFamily, 'Custom'> {
  const family = ALIAS_FAMILIES[alias.split('@')[0].toLowerCase()];
  if (!family) {
    throw new Error(`amiSelectorTerms[0].alias "${alias}" names an unsupported AMI family: use ${Object.keys(ALIAS_FAMILIES).map((f) => `${f}@latest`).join(' or ')}, or select AMIs by tags/name/id with amiFamily Custom`);
  }
  return family;
}

/** The SSM parameter holding the AMI id of an alias for one architecture. */
export function aliasParameterName(alias: string, architecture: Architecture, options: AmiResolverOptions): string {
  const [familyName, version = 'latest'] = alias.split('@');
  const family = aliasFamily(familyName);
  const prefix = (options.ssmParameterPrefix ?? '/aws/service').replace(/\/$/, '');
  const k8s = options.kubernetesVersion;
  const arch = architecture === 'amd64' ? 'x86_64' : 'arm64';
  if (family === 'AL2023') {
    const release = version === 'latest' ? 'recommended' : `amazon-eks-node-al2023-${arch}-standard-${k8s}-${version}`;
    return `${prefix}/eks/optimized-ami/${k8s}/amazon-linux-2023/${arch}/standard/${release}/image_id`;
  }
  return `${prefix}/bottlerocket/aws-k8s-${k8s}/${arch}/${version === 'latest' ? 'latest' : version.replace(/^v/, '')}/image_id`;
}

/**
 * Resolves amiSelectorTerms to the newest AMI per architecture: an alias through the SSM
 * parameters of both architectures, an `ssmParameter` directly, other terms through
 * DescribeImages (tags, name, id, owner). Returns an empty list when nothing matches.
 */
export async function resolveAmis(ec2: EC2Client, ssm: SSMClient, terms: readonly AmiSelectorTerm[], options: AmiResolverOptions): Promise<ResolvedAmi[]> {
  const images: Image[] = [];
  const parameterIds: string[] = [];
  for (const term of terms) {
    if (term.alias) {
      for (const architecture of ['amd64', 'arm64'] as const) {
        const id = await readParameter(ssm, aliasParameterName(term.alias, architecture, options));
        if (id) parameterIds.push(id);
      }
    } else if (term.ssmParameter) {
      const id = await readParameter(ssm, term.ssmParameter);
      if (id) parameterIds.push(id);
    } else {
      images.push(...(await describeImages(ec2, filtersForTerm(term, 'image-id', 'name'), term.owner ? [term.owner] : undefined)));
    }
  }
  if (parameterIds.length) images.push(...(await describeImages(ec2, [{ Name: 'image-id', Values: parameterIds }])));
  return newestPerArchitecture(images);
}

/** Keeps the newest available image of each architecture, newest first. */
export function newestPerArchitecture(images: readonly Image[]): ResolvedAmi[] {
  const newest = new Map<Architecture, ResolvedAmi>();
  for (const image of images) {
    if (image.State && image.State !== 'available') continue;
    const architecture = image.Architecture === 'arm64' ? 'arm64' : image.Architecture === 'x86_64' ? 'amd64' : undefined;
    if (!architecture) continue;
    const candidate: ResolvedAmi = { id: image.ImageId!, name: image.Name ?? '', architecture, creationDate: image.CreationDate ?? '' };
    const current = newest.get(architecture);
    if (!current || candidate.creationDate > current.creationDate || (candidate.creationDate === current.creationDate && candidate.id < current.id)) {
      newest.set(architecture, candidate);
    }
  }
  return [...newest.values()].sort((a, b) => b.creationDate.localeCompare(a.creationDate) || a.architecture.localeCompare(b.architecture));
}

async function readParameter(ssm: SSMClient, name: string): Promise<string | undefined> {
  try {
    return (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (error) {
    if (hasErrorCode(error, 'ParameterNotFound')) return undefined;
    throw error;
  }
}

async function describeImages(ec2: EC2Client, Filters: Filter[], Owners?: string[]): Promise<Image[]> {
  const images: Image[] = [];
  for await (const page of paginateDescribeImages({ client: ec2 }, { Filters, Owners })) images.push(...(page.Images ?? []));
  return images;
}


/**
 * The AMI family of an EC2NodeClass: `amiFamily`, else the alias's family. Families the
 * provider cannot bootstrap are rejected with the fix.
 */
export function nodeClassAmiFamily(spec: { readonly amiFamily?: string; readonly amiSelectorTerms: readonly AmiSelectorTerm[] }): AmiFamily {
  const alias = spec.amiSelectorTerms.find((t) => t.alias)?.alias;
  const family = spec.amiFamily ?? (alias ? aliasFamily(alias) : undefined);
  if (family === 'AL2023' || family === 'Bottlerocket' || family === 'Custom') return family;
  throw new Error(`amiFamily ${family ?? '(unset)'} is not supported by karpenter-ts: use AL2023 (alias al2023@latest), Bottlerocket, or Custom with your own userData`);
}
