import { readManifests } from '../manifests/read-manifests.js';
import type { CliIo } from './cli-io.js';
import { nodePoolProblems } from './node-pool-manifests.js';

const validatedKinds = new Set(['NodePool', 'EC2NodeClass']);

/** `karpenter-ts validate`: every problem of every NodePool and EC2NodeClass; 1 when there is any. */
export function runValidateCommand(files: readonly string[], io: CliIo): number {
  const documents = readManifests(files, io.readStdin).filter((d) => validatedKinds.has(d.object.kind));
  const problems = nodePoolProblems(documents);
  for (const problem of problems) io.stdout.write(`${problem}\n`);
  if (documents.length === 0) {
    io.stderr.write('no NodePool or EC2NodeClass found in the input\n');
    return 1;
  }
  if (problems.length > 0) {
    io.stderr.write(`${problems.length} problem${problems.length > 1 ? 's' : ''} in ${documents.length} objects\n`);
    return 1;
  }
  io.stdout.write(`${documents.length} objects valid:\n${documents.map((d) => `  ${d.object.kind} ${d.object.metadata.name}\n`).join('')}`);
  return 0;
}
