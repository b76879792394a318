// The AWS and PostgreSQL peers answer at the endpoints the global setup exported.
import { DescribeInstanceTypesCommand, DescribeVpcsCommand, EC2Client, CreateVpcCommand } from '@aws-sdk/client-ec2';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniqueDatabase, resetMoto } from './index.js';
import { startMoto } from './moto.js';
import { stopPeer } from './processes.js';

describe('moto_server', () => {
  const ec2 = () => new EC2Client({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION });

  it('is exported to the workers through process.env and inject()', () => {
    expect(process.env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(inject('testenv').AWS_ENDPOINT_URL).toBe(process.env.AWS_ENDPOINT_URL);
  });

  it('answers DescribeInstanceTypes with real instance types', async () => {
    const out = await ec2().send(new DescribeInstanceTypesCommand({ InstanceTypes: ['m5.large', 'c6g.xlarge'] }));
    const byName = Object.fromEntries((out.InstanceTypes ?? []).map((t) => [t.InstanceType, t]));
    expect(byName['m5.large']?.VCpuInfo?.DefaultVCpus).toBe(2);
    expect(byName['m5.large']?.MemoryInfo?.SizeInMiB).toBe(8192);
    expect(byName['c6g.xlarge']?.ProcessorInfo?.SupportedArchitectures).toEqual(['arm64']);
  });

  // On a private moto: resetting the shared one would wipe what other test files are doing.
  it('forgets what was created after resetMoto()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moto-reset-'));
    mkdirSync(join(dir, 'logs'));
    const moto = await startMoto(dir, false);
    try {
      const client = new EC2Client({ endpoint: moto.endpoint, region: process.env.AWS_REGION });
      const { Vpc } = await client.send(new CreateVpcCommand({ CidrBlock: '10.42.0.0/16' }));
      const vpcIds = async () => ((await client.send(new DescribeVpcsCommand({}))).Vpcs ?? []).map((v) => v.VpcId);
      expect(await vpcIds()).toContain(Vpc?.VpcId);
      await resetMoto(moto.endpoint);
      expect(await vpcIds()).not.toContain(Vpc?.VpcId);
    } finally {
      await stopPeer(moto.running.peer);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL', () => {
  it('runs a query on the server in DATABASE_URL', async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string }>('SELECT current_setting($1) AS version', ['server_version_num']);
      expect(Number(rows[0].version)).toBeGreaterThanOrEqual(150000);
    } finally {
      await client.end();
    }
  });

  it('gives each caller its own database', async () => {
    const [a, b] = [await createUniqueDatabase('ledger'), await createUniqueDatabase('ledger')];
    expect(a.url).not.toBe(b.url);
    const client = new pg.Client({ connectionString: a.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE decisions (id serial PRIMARY KEY, what text NOT NULL)');
      await client.query("INSERT INTO decisions (what) VALUES ('launch')");
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM decisions');
      expect(rows[0].n).toBe('1');
    } finally {
      await client.end();
    }
    await Promise.all([a.drop(), b.drop()]);
    const server = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await server.connect();
    try {
      const { rows } = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [new URL(a.url).pathname.slice(1)]);
      expect(rows).toHaveLength(0);
    } finally {
      await server.end();
    }
  });
});
