import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AWS_ACTIONS } from './actions.js';

const SERVICE_OF_CLIENT: Record<string, string> = {
  'client-ec2': 'ec2',
  'client-iam': 'iam',
  'client-ssm': 'ssm',
  'client-sqs': 'sqs',
  'client-pricing': 'pricing',
  'client-eventbridge': 'events',
  'client-sts': 'sts',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** `service:Action` for every `new XCommand(` and `paginateX(` in the package's source, by the client it is imported from. */
function calledActions(): Set<string> {
  const actions = new Set<string>();
  for (const file of sourceFiles(fileURLToPath(new URL('.', import.meta.url)))) {
    const text = readFileSync(file, 'utf8');
    const serviceOf = new Map<string, string>();
    for (const [, names, client] of text.matchAll(/import\s*{([^}]*)}\s*from\s*'@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
      for (const name of names.split(',').map((n) => n.replace(/^\s*type\s+/, '').trim()).filter(Boolean)) serviceOf.set(name, SERVICE_OF_CLIENT[client] ?? client);
    }
    for (const [, action] of text.matchAll(/new\s+([A-Z][A-Za-z0-9]*)Command\(/g)) {
      const service = serviceOf.get(`${action}Command`);
      if (!service) throw new Error(`${file}: ${action}Command is not imported from an AWS SDK client`);
      actions.add(`${service}:${action}`);
    }
    for (const [, action] of text.matchAll(/paginate([A-Z][A-Za-z0-9]*)\(/g)) {
      actions.add(`${serviceOf.get(`paginate${action}`)}:${action}`);
    }
  }
  return actions;
}

describe('AWS_ACTIONS', () => {
  it('lists exactly the AWS actions the package source calls', () => {
    expect([...calledActions()].sort()).toEqual([...AWS_ACTIONS].sort());
  });

  it('is sorted and free of duplicates, so policy diffs stay readable', () => {
    expect([...new Set(AWS_ACTIONS)]).toEqual([...AWS_ACTIONS].sort());
  });
});
