import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints source text as if it lived at the given path, with the repository's own config.
async function problems(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('dependency direction lint rule', () => {
  it('lets solver import api', async () => {
    expect(await problems('packages/solver/src/x.ts', "import { Labels } from '@karpenter-ts/api';\n")).toEqual([]);
  });
  it('forbids api importing solver', async () => {
    const found = await problems('packages/api/src/x.ts', "import { x } from '@karpenter-ts/solver';\n");
    expect(found.join('\n')).toMatch(/no-restricted-imports.*dependency direction/);
  });
  it('forbids solver importing aws or kube', async () => {
    expect(await problems('packages/solver/src/x.ts', "import '@karpenter-ts/aws';\n")).toHaveLength(1);
    expect(await problems('packages/solver/src/x.ts', "import '@karpenter-ts/kube';\n")).toHaveLength(1);
  });
  it('forbids kube importing solver or aws', async () => {
    expect(await problems('packages/kube/src/x.ts', "import '@karpenter-ts/aws';\n")).toHaveLength(1);
  });
  it('forbids relative imports into another package', async () => {
    expect(await problems('packages/api/src/x.ts', "import '../../solver/src/index.js';\n")).toHaveLength(1);
  });
  it('forbids I/O and the clock in the solver', async () => {
    expect(await problems('packages/solver/src/x.ts', "import { readFileSync } from 'node:fs';\n")).toHaveLength(1);
    expect(await problems('packages/solver/src/x.ts', 'export const now = Date.now();\n')).toHaveLength(1);
  });
  it('lets the controller import every package', async () => {
    expect(await problems('apps/controller/src/x.ts', "import '@karpenter-ts/aws';\nimport '@karpenter-ts/kube';\n")).toEqual([]);
  });
});
