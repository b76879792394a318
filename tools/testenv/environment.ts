// One test environment: etcd + kube-apiserver (with the project's CRDs), moto_server and
// PostgreSQL, on 127.0.0.1 with free ports. Used by `testenv:up` and the vitest global setup.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { buildBinary, etcdRecipe, kubeApiserverRecipe } from './binaries.js';
import { installCrds, projectCrds } from './crds.js';
import { startEtcd } from './etcd.js';
import { startKubeApiserver } from './kube-apiserver.js';
import { startMoto } from './moto.js';
import { startPostgres } from './postgres.js';
import { missingPrerequisites } from './prerequisites.js';
import { stopPeer, type PeerProcess, type RunningPeer } from './processes.js';

/** Everything needed to use, and later stop, a running environment. Serializable. */
export interface TestEnvState {
  dir: string;
  /** In start order; stopped in reverse. */
  peers: PeerProcess[];
  /** Directories outside `dir` to delete on stop. */
  scratchDirs: string[];
  env: Record<string, string>;
}

export interface StartOptions {
  /** Holds certificates, etcd data, logs and the kubeconfig. */
  dir: string;
  /** Let the peers outlive this process (`testenv:up`). */
  detached: boolean;
  log: (line: string) => void;
}

/** Starts every peer; on any failure stops the ones already started and rethrows. */
export async function startTestEnv({ dir, detached, log }: StartOptions): Promise<TestEnvState> {
  const missing = missingPrerequisites();
  if (missing.length > 0) throw new Error(`the test environment cannot start; missing:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
  const etcdBinary = buildBinary(etcdRecipe, log);
  const apiserverBinary = buildBinary(kubeApiserverRecipe, log);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const started: RunningPeer[] = [];
  const scratchDirs: string[] = [];
  const track = <T extends { running: RunningPeer }>(peer: T): T => {
    started.push(peer.running);
    log(`${peer.running.peer.name} is up (pid ${peer.running.peer.pid}, log ${peer.running.peer.logFile})`);
    return peer;
  };
  const begun = Date.now();
  try {
    const kubeStarting = startEtcd(etcdBinary, dir, detached)
      .then(track)
      .then((etcd) => startKubeApiserver(apiserverBinary, dir, etcd.clientUrl, detached))
      .then(track);
    const motoStarting = startMoto(dir, detached).then(track);
    const postgresStarting = startPostgres(dir, detached).then((pg) => (scratchDirs.push(pg.dataDir), track(pg)));
    // Let every start finish before failing, so the cleanup below sees every started process.
    await Promise.allSettled([kubeStarting, motoStarting, postgresStarting]);
    const [kube, moto, postgres] = await Promise.all([kubeStarting, motoStarting, postgresStarting]);
    const crds = projectCrds();
    if (crds.length > 0) {
      const kc = new KubeConfig();
      kc.loadFromFile(kube.kubeconfig);
      await installCrds(kc, crds);
      log(`installed and Established: ${crds.map((crd) => crd.metadata?.name).join(', ')}`);
    } else {
      log('no CRDs under packages/api/crds yet; none installed');
    }
    log(`ready in ${((Date.now() - begun) / 1000).toFixed(1)} s`);
    return {
      dir,
      peers: started.map((running) => running.peer),
      scratchDirs,
      env: {
        KUBECONFIG: kube.kubeconfig,
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_REGION: 'us-west-2',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        DATABASE_URL: postgres.url,
      },
    };
  } catch (error) {
    await stopTestEnv({ dir, peers: started.map((running) => running.peer), scratchDirs, env: {} });
    throw error;
  }
}

/** Stops exactly the recorded peers (API server before etcd) and deletes their scratch data. */
export async function stopTestEnv(state: TestEnvState): Promise<void> {
  for (const peer of [...state.peers].reverse()) await stopPeer(peer);
  for (const dir of state.scratchDirs) rmSync(dir, { recursive: true, force: true });
}

/** `export KEY='value'` lines for a POSIX shell. */
export function shellExports(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([key, value]) => `export ${key}='${value.replaceAll("'", `'\\''`)}'\n`)
    .join('');
}
