// Runs the Helm CLI for the chart tests: the binary tools/helm/install-helm.sh builds, or $HELM.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const controllerChart = join(repoRoot, 'apps', 'controller', 'chart');
export const crdChart = join(controllerChart, 'karpenter-ts-crd');
export const crdSource = join(repoRoot, 'packages', 'api', 'crds');

export const HELM_VERSION = 'v4.3.2';
const cachedHelm = join(process.env.KARPENTER_TS_CACHE ?? join(homedir(), '.cache', 'karpenter-ts'), 'bin', `helm-${HELM_VERSION}`);

/** Path of the helm binary, or undefined when it is not installed. */
export function findHelm(): string | undefined {
  const candidate = process.env.HELM ?? cachedHelm;
  return existsSync(candidate) ? candidate : undefined;
}

export const helmMissing = `helm ${HELM_VERSION} not found at ${process.env.HELM ?? cachedHelm}: run tools/helm/install-helm.sh (or set HELM)`;

export interface HelmResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs helm with the given arguments; never throws on a non-zero exit (the result says). */
export async function helm(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<HelmResult> {
  const binary = findHelm();
  if (!binary) throw new Error(helmMissing);
  try {
    const { stdout, stderr } = await run(binary, [...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, stdout, stderr };
  } catch (err) {
    const failed = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, stdout: failed.stdout ?? '', stderr: failed.stderr ?? failed.message };
  }
}

/** A Kubernetes object as rendered by `helm template`. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Value overrides as `--set` pairs (dotted keys), e.g. `{ 'settings.clusterName': 'demo' }`. */
export type ValueOverrides = Record<string, string | number | boolean>;

export interface RenderOptions {
  readonly release?: string;
  readonly namespace?: string;
  readonly valuesFiles?: readonly string[];
  readonly set?: ValueOverrides;
}

export function templateArgs(chart: string, options: RenderOptions = {}): string[] {
  const args = [chart, '--namespace', options.namespace ?? 'karpenter'];
  for (const file of options.valuesFiles ?? []) args.push('--values', file);
  for (const [key, value] of Object.entries(options.set ?? {})) {
    args.push(typeof value === 'string' ? '--set-string' : '--set', `${key}=${value}`);
  }
  return args;
}

/** `helm template` a chart; throws with Helm's message when it fails. */
export async function render(chart: string, options: RenderOptions = {}): Promise<Manifest[]> {
  const result = await helm(['template', options.release ?? 'karpenter', ...templateArgs(chart, options)]);
  if (!result.ok) throw new Error(`helm template ${chart} failed: ${result.stderr}`);
  return parseManifests(result.stdout);
}

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
}

export function findManifest(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}
