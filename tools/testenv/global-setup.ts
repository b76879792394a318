// Global setup of the vitest `integration` project: starts one test environment per run, hands
// its endpoints to the test workers (process.env and `inject('testenv')`), stops it at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTestEnv, stopTestEnv } from './environment.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testenv: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'karpenter-ts-testenv-'));
  const log = (line: string) => process.stderr.write(`[testenv] ${line}\n`);
  const state = await startTestEnv({ dir, detached: false, log }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  Object.assign(process.env, state.env);
  project.provide('testenv', state.env);
  return async () => {
    await stopTestEnv(state);
    rmSync(dir, { recursive: true, force: true });
  };
}
