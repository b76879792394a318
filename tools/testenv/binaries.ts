// The Go peers (kube-apiserver, etcd) are built from the Go module proxy into a cache outside the
// repository. A binary's cache name carries a hash of its recipe, so changing the recipe rebuilds.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const KUBERNETES_VERSION = 'v1.36.3';
export const ETCD_VERSION = 'v3.6.17';

export interface GoBinaryRecipe {
  name: 'kube-apiserver' | 'etcd';
  version: string;
  /** The module that provides the command; required at `version`. */
  module: string;
  mainGo: string;
  ldflags: string[];
  /** k8s.io/kubernetes refers to its staging modules as ./staging/...; pin each to this version. */
  stagingVersion?: string;
}

const [major, minor] = KUBERNETES_VERSION.slice(1).split('.');

export const kubeApiserverRecipe: GoBinaryRecipe = {
  name: 'kube-apiserver',
  version: KUBERNETES_VERSION,
  module: 'k8s.io/kubernetes',
  stagingVersion: `v0.${minor}.${KUBERNETES_VERSION.split('.')[2]}`,
  mainGo: `package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }
`,
  // Without these the server reports v0.0.0-master, which clients and emulation-version checks dislike.
  ldflags: [
    '-s',
    '-w',
    `-X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION}`,
    `-X k8s.io/component-base/version.gitMajor=${major}`,
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
    `-X k8s.io/client-go/pkg/version.gitVersion=${KUBERNETES_VERSION}`,
    `-X k8s.io/client-go/pkg/version.gitMajor=${major}`,
    `-X k8s.io/client-go/pkg/version.gitMinor=${minor}`,
  ],
};

export const etcdRecipe: GoBinaryRecipe = {
  name: 'etcd',
  version: ETCD_VERSION,
  module: 'go.etcd.io/etcd/server/v3',
  mainGo: `package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
`,
  ldflags: ['-s', '-w'],
};

export const recipes = [etcdRecipe, kubeApiserverRecipe];

export function cacheDir(): string {
  return process.env.KARPENTER_TS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'karpenter-ts');
}

function recipeHash(recipe: GoBinaryRecipe): string {
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 10);
}

/** Where the binary for this recipe lives (whether or not it was built yet). */
export function binaryPath(recipe: GoBinaryRecipe): string {
  return join(cacheDir(), 'bin', `${recipe.name}-${recipe.version}-${recipeHash(recipe)}`);
}

export function isOnPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

type Log = (line: string) => void;

function go(args: string[], cwd: string, log: Log): string {
  log(`$ go ${args.join(' ')}`);
  const result = spawnSync('go', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GOFLAGS: '-mod=mod', GO111MODULE: 'on' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.error) throw new Error(`cannot run go (${result.error.message}); install Go 1.26+ from https://go.dev/dl/`);
  if (result.status !== 0) throw new Error(`go ${args.join(' ')} failed in ${cwd} (exit ${result.status}); see the output above`);
  return result.stdout;
}

/** The `k8s.io/* => ./staging/...` replacements in the main module's own go.mod. */
function stagingModules(recipe: GoBinaryRecipe, workDir: string, log: Log): string[] {
  const info = JSON.parse(go(['mod', 'download', '-json', `${recipe.module}@${recipe.version}`], workDir, log)) as { GoMod: string };
  const modFile = readFileSync(info.GoMod, 'utf8');
  return [...modFile.matchAll(/^\s*(k8s\.io\/\S+)\s+=>\s+\.\/staging\//gm)].map((m) => m[1]);
}

/** Builds the recipe's binary unless the cache already has it; returns its path. Needs Go and the module proxy. */
export function buildBinary(recipe: GoBinaryRecipe, log: Log): string {
  const target = binaryPath(recipe);
  if (existsSync(target)) {
    log(`${recipe.name} ${recipe.version}: cached at ${target}`);
    return target;
  }
  mkdirSync(join(cacheDir(), 'bin'), { recursive: true });
  const release = buildLock(`${target}.lock`, recipe, log);
  try {
    if (existsSync(target)) return target; // built by whoever held the lock
    return build(recipe, target, log);
  } finally {
    release();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One build per binary at a time on this machine (a vitest run and `testenv:build` may race). */
function buildLock(lockFile: string, recipe: GoBinaryRecipe, log: Log): () => void {
  let waiting = false;
  for (;;) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: number;
      try {
        holder = Number(readFileSync(lockFile, 'utf8'));
      } catch {
        continue; // released meanwhile
      }
      if (holder > 0 && !isAlive(holder)) {
        rmSync(lockFile, { force: true });
        continue;
      }
      if (!waiting) log(`${recipe.name}: another build (pid ${holder}) is running; waiting for it`);
      waiting = true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_000);
    }
  }
}

function build(recipe: GoBinaryRecipe, target: string, log: Log): string {
  const started = Date.now();
  const workDir = join(cacheDir(), 'build', `${recipe.name}-${recipe.version}-${recipeHash(recipe)}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  log(`${recipe.name} ${recipe.version}: building from the Go module proxy in ${workDir} (the first build takes minutes)`);
  writeFileSync(join(workDir, 'go.mod'), `module karpenter-ts.local/build/${recipe.name}\n\ngo 1.26\n`);
  writeFileSync(join(workDir, 'main.go'), recipe.mainGo);
  const edits = [`-require=${recipe.module}@${recipe.version}`];
  if (recipe.stagingVersion) {
    for (const staging of stagingModules(recipe, workDir, log)) edits.push(`-replace=${staging}=${staging}@${recipe.stagingVersion}`);
  }
  go(['mod', 'edit', ...edits], workDir, log);
  go(['mod', 'tidy'], workDir, log);
  const partial = `${target}.partial-${process.pid}`;
  go(['build', '-ldflags', recipe.ldflags.join(' '), '-o', partial, '.'], workDir, log);
  renameSync(partial, target);
  log(`${recipe.name} ${recipe.version}: built in ${Math.round((Date.now() - started) / 1000)} s → ${target}`);
  return target;
}
