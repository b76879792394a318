import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { assertValid, type EC2NodeClass, type NodePool } from '../src/index.js';

const dir = fileURLToPath(new URL('../../../examples/nodepools/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('examples/nodepools', () => {
  it('covers the documented scenarios', () => {
    expect(files.sort()).toEqual(
      [
        'budgets-with-schedules.yaml',
        'custom-ami-by-tags.yaml',
        'custom-user-data.yaml',
        'general-purpose.yaml',
        'gpu.yaml',
        'min-values.yaml',
        'multi-arch.yaml',
        'spot-only.yaml',
        'windows.yaml',
      ].sort(),
    );
  });

  it.each(files)('%s is a valid NodePool with its EC2NodeClass', (file) => {
    const documents = parseAllDocuments(readFileSync(`${dir}${file}`, 'utf8')).map((d) => d.toJS() as { kind: string });
    expect(documents.map((d) => d.kind)).toEqual(['NodePool', 'EC2NodeClass']);
    const pool = assertValid<NodePool>(documents[0]);
    const nodeClass = assertValid<EC2NodeClass>(documents[1]);
    expect(pool.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: nodeClass.metadata.name });
    // Defaults are applied on the way in.
    expect(pool.spec.disruption.budgets.length).toBeGreaterThan(0);
    expect(nodeClass.spec.metadataOptions.httpTokens).toBe('required');
  });
});
