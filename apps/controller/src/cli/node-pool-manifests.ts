import {
  defaultBlockDeviceMappings,
  validate,
  withDefaults,
  type EC2NodeClass,
  type NodePool,
  type ValidationProblem,
} from '@karpenter-ts/api';
import { parseQuantity } from '@karpenter-ts/solver';
import type { ManifestDocument } from '../manifests/manifest-object.js';
import { describeSource } from '../manifests/manifest-source.js';
import { CliError } from './cli-error.js';

/** Every validation problem of the NodePools and EC2NodeClasses, each naming its file and document. */
export function nodePoolProblems(documents: readonly ManifestDocument[]): string[] {
  const problems: string[] = [];
  for (const doc of documents) {
    for (const problem of validate(doc.object)) problems.push(formatProblem(doc, problem));
  }
  return problems;
}

function formatProblem(doc: ManifestDocument, problem: ValidationProblem): string {
  return `${describeSource(doc.source)}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

export interface NodePoolSet {
  readonly nodePools: readonly NodePool[];
  /** NodePool name → its EC2NodeClass (defaults applied). */
  readonly nodeClassOf: ReadonlyMap<string, EC2NodeClass>;
}

/**
 * Validates NodePools and EC2NodeClasses and pairs each NodePool with its EC2NodeClass.
 * Throws a CliError listing every problem (validation, duplicates, a missing nodeClassRef).
 */
export function resolveNodePools(nodePoolDocs: readonly ManifestDocument[], nodeClassDocs: readonly ManifestDocument[]): NodePoolSet {
  const problems = nodePoolProblems([...nodePoolDocs, ...nodeClassDocs]);
  const nodeClasses = new Map<string, EC2NodeClass>();
  for (const doc of nodeClassDocs) {
    const name = doc.object.metadata.name ?? '';
    if (nodeClasses.has(name)) problems.push(`${describeSource(doc.source)}: EC2NodeClass ${name} is defined twice`);
    nodeClasses.set(name, withDefaults(doc.object as unknown as EC2NodeClass));
  }
  const nodePools: NodePool[] = [];
  const nodeClassOf = new Map<string, EC2NodeClass>();
  for (const doc of nodePoolDocs) {
    const pool = withDefaults(doc.object as unknown as NodePool);
    const name = pool.metadata?.name ?? '';
    if (nodeClassOf.has(name) || nodePools.some((p) => p.metadata?.name === name)) {
      problems.push(`${describeSource(doc.source)}: NodePool ${name} is defined twice`);
    }
    const ref = pool.spec?.template?.spec?.nodeClassRef;
    const nodeClass = ref ? nodeClasses.get(ref.name) : undefined;
    if (ref && !nodeClass) {
      problems.push(
        `${describeSource(doc.source)}: spec.template.spec.nodeClassRef.name: EC2NodeClass "${ref.name}" is not in the input; add its manifest with -f or fix the name` +
          (nodeClasses.size > 0 ? ` (known: ${[...nodeClasses.keys()].sort().join(', ')})` : ''),
      );
    }
    nodePools.push(pool);
    if (nodeClass) nodeClassOf.set(name, nodeClass);
  }
  if (problems.length > 0) throw new CliError(problems.join('\n'));
  if (nodePools.length === 0) {
    throw new CliError('no NodePool in the input: add NodePool and EC2NodeClass manifests with -f (e.g. -f examples/nodepools/general-purpose.yaml)');
  }
  return { nodePools, nodeClassOf };
}

/**
 * Bytes of ephemeral storage a node of this EC2NodeClass gets: the volume marked `rootVolume`,
 * else the one pods use for the AMI family (Bottlerocket: the data volume), else 20Gi.
 */
export function nodeClassEphemeralStorage(nodeClass: EC2NodeClass): number {
  const mappings = nodeClass.spec.blockDeviceMappings ?? defaultBlockDeviceMappings(nodeClass.spec.amiFamily ?? amiFamilyOf(nodeClass));
  const chosen =
    mappings.find((m) => m.rootVolume) ??
    (nodeClass.spec.amiFamily === 'Bottlerocket' || amiFamilyOf(nodeClass) === 'Bottlerocket' ? mappings[1] : undefined) ??
    mappings[0];
  const size = chosen?.ebs?.volumeSize;
  return size ? parseQuantity(size, 'ephemeral-storage') : 20 * 2 ** 30;
}

function amiFamilyOf(nodeClass: EC2NodeClass): NonNullable<EC2NodeClass['spec']['amiFamily']> {
  const alias = nodeClass.spec.amiSelectorTerms?.find((t) => t.alias)?.alias ?? '';
  const family = alias.split('@')[0];
  const byAlias: Record<string, NonNullable<EC2NodeClass['spec']['amiFamily']>> = {
    al2: 'AL2',
    al2023: 'AL2023',
    bottlerocket: 'Bottlerocket',
    windows2019: 'Windows2019',
    windows2022: 'Windows2022',
    windows2025: 'Windows2025',
  };
  return byAlias[family] ?? 'AL2023';
}
