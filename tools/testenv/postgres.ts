// PostgreSQL in a throw-away data directory. initdb and postgres refuse to run as root, so as
// root they run as the unprivileged `postgres` user, which then owns the data directory.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgresBinDir } from './prerequisites.js';
import { freePort, startProcess, waitUntilReady, type RunningPeer } from './processes.js';

export interface Postgres {
  running: RunningPeer;
  url: string;
  dataDir: string;
}

function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('PostgreSQL refuses to run as root and there is no `postgres` user: create one (useradd --system postgres) or run as a normal user');
  }
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

export async function startPostgres(dir: string, detached: boolean): Promise<Postgres> {
  const binDir = findPostgresBinDir();
  if (!binDir) throw new Error('PostgreSQL is not installed: apt-get install postgresql-15 (or set PATH to include its bin directory)');
  const user = unprivilegedUser();
  // In /tmp rather than the repository, which the postgres user may not be able to enter.
  const dataDir = mkdtempSync(join(tmpdir(), 'karpenter-ts-postgres-'));
  if (user) chownSync(dataDir, user.uid, user.gid);
  try {
    return await runPostgres(binDir, dataDir, user, join(dir, 'logs', 'postgres.log'), detached);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function runPostgres(binDir: string, dataDir: string, user: { uid: number; gid: number } | undefined, logFile: string, detached: boolean): Promise<Postgres> {
  const initdb = spawnSync(
    join(binDir, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C'],
    { uid: user?.uid, gid: user?.gid, cwd: dataDir, encoding: 'utf8' },
  );
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.error?.message ?? ''}${initdb.stderr}`);
  const port = await freePort();
  const running = startProcess(
    'postgres',
    join(binDir, 'postgres'),
    ['-D', dataDir, '-h', '127.0.0.1', '-p', String(port), '-k', dataDir, '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off'],
    { logFile, detached, uid: user?.uid, gid: user?.gid, cwd: dataDir, stopSignal: 'SIGINT' },
  );
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitUntilReady(running, 'accepting connections', async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  });
  return { running, url, dataDir };
}

/**
 * Creates an empty database with a unique name on the test PostgreSQL and returns its URL, so
 * tests (and parallel test files) never share tables.
 * @example const { url, drop } = await createUniqueDatabase('ledger'); … await drop();
 */
export async function createUniqueDatabase(prefix = 'test', serverUrl = process.env.DATABASE_URL): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!serverUrl) throw new Error('DATABASE_URL is not set: run the integration tier (vitest --project integration) or `eval "$(npm run -s testenv:up)"`');
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
