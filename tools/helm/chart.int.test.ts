// The charts against the real kube-apiserver of the test environment (KUBECONFIG): the CRDs are
// accepted and upgraded by `helm upgrade`, the controller chart installs into a namespace that
// enforces the `restricted` Pod Security level, and the chart's ServiceAccount, with a token from
// the TokenRequest API, can do what the controller calls and nothing it must not.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApiError, KubeClient } from '@karpenter-ts/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { controllerPermissions, forbiddenPermissions, resourceNameFor } from './controller-permissions.js';
import { clientWithToken, serviceAccountToken } from './service-account.js';
import { controllerChart, crdChart, crdSource, findHelm, helm, helmMissing, render, type HelmResult, type Manifest } from './helm.js';

const kubeconfig = process.env.KUBECONFIG;
const ready = findHelm() !== undefined && kubeconfig !== undefined;
if (!ready) console.warn(`\n!!! chart integration tests SKIPPED: ${kubeconfig ? helmMissing : 'no KUBECONFIG (the tools/testenv global setup exports it)'}\n`);

it.runIf(process.env.CI === 'true')('helm and the test API server are available in CI', () => {
  expect(findHelm(), helmMissing).toBeDefined();
  expect(kubeconfig, 'KUBECONFIG').toBeDefined();
});

const suffix = Math.random().toString(36).slice(2, 8);
const namespace = `kts-chart-${suffix}`;
const release = `kts-${suffix}`;
const scratch = mkdtempSync(join(tmpdir(), 'karpenter-ts-chart-int-'));

/** Status code of a request that is expected to be refused, or 200 when it went through. */
async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request;
    return 200;
  } catch (err) {
    if (err instanceof KubeApiError) return err.statusCode;
    throw err;
  }
}

/** Sends the request and checks the status code it gets (200 = it went through). */
async function expectStatus(client: KubeClient, method: string, path: string, expected: number, body?: unknown): Promise<void> {
  let status = 429;
  let message = '';
  // 429 is the API server shedding load (priority and fairness) on a busy machine: ask again.
  for (let attempt = 0; status === 429 && attempt < 5; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    try {
      await client.request(method, path, { body });
      [status, message] = [200, 'went through'];
    } catch (err) {
      if (!(err instanceof KubeApiError)) throw err;
      ({ statusCode: status, message } = err);
    }
  }
  expect(status, `${method} ${path}: ${message}`).toBe(expected);
}

function expectHelmOk(result: HelmResult, what: string): void {
  expect(result.ok, `${what} failed: ${result.stderr}`).toBe(true);
}

describe.skipIf(!ready)('charts on the real API server', () => {
  let admin: KubeClient;

  beforeAll(async () => {
    admin = KubeClient.fromEnvironment(kubeconfig);
    await admin.request('POST', '/api/v1/namespaces', {
      body: {
        metadata: {
          name: namespace,
          labels: {
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'latest',
            'pod-security.kubernetes.io/warn': 'restricted',
            'pod-security.kubernetes.io/warn-version': 'latest',
          },
        },
      },
    });
  });

  afterAll(async () => {
    await helm(['uninstall', release, '--namespace', namespace]);
    // No kubelet confirms pod deletion here: force it.
    await statusOf(admin.request('DELETE', `/api/v1/namespaces/${namespace}/pods`, { query: { gracePeriodSeconds: 0 } }));
    // Without kube-controller-manager the namespace stays Terminating; it dies with the test environment.
    await statusOf(admin.request('DELETE', `/api/v1/namespaces/${namespace}`));
    admin.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('accepts the rendered CRDs (server-side apply, dry run)', async () => {
    const crds = await render(crdChart, { release: 'karpenter-crd' });
    expect(crds).toHaveLength(3);
    for (const crd of crds) {
      const applied = await admin.request<Manifest>('PATCH', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`, {
        body: crd,
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: 'karpenter-ts-chart-test', force: true, dryRun: 'All' },
      });
      expect(applied.metadata.name).toBe(crd.metadata.name);
      expect(applied.metadata.annotations).toMatchObject({ 'helm.sh/resource-policy': 'keep' });
    }
  });

  it('upgrades a CRD on helm upgrade and keeps it on uninstall', async () => {
    // A copy of the CRD chart whose NodePool CRD is renamed into a group of its own, so the test
    // changes no CRD other tests use.
    const chart = join(scratch, 'karpenter-ts-crd');
    cpSync(crdChart, chart, { recursive: true, dereference: true });
    const group = `chart-test-${suffix}.karpenter-ts.dev`;
    const crdFile = (source: string) => join(chart, 'crds-source', source);
    for (const file of readdirSync(join(chart, 'crds-source'))) {
      if (!file.includes('nodepools')) rmSync(crdFile(file));
    }
    const [nodePoolFile] = readdirSync(join(chart, 'crds-source'));
    const crd = parse(readFileSync(crdFile(nodePoolFile), 'utf8')) as Manifest & { spec: { group: string; versions: { additionalPrinterColumns?: unknown[] }[] } };
    crd.spec.group = group;
    crd.metadata.name = `nodepools.${group}`;
    writeFileSync(crdFile(nodePoolFile), stringify(crd));
    const crdRelease = `kts-crd-${suffix}`;
    expectHelmOk(await helm(['install', crdRelease, chart, '--namespace', namespace]), 'helm install of the CRD chart');

    crd.spec.versions[0].additionalPrinterColumns = [...(crd.spec.versions[0].additionalPrinterColumns ?? []), { name: 'ChartTest', type: 'string', jsonPath: '.metadata.name' }];
    writeFileSync(crdFile(nodePoolFile), stringify(crd));
    expectHelmOk(await helm(['upgrade', crdRelease, chart, '--namespace', namespace]), 'helm upgrade of the CRD chart');
    const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`;
    const upgraded = await admin.request<{ spec: { versions: { additionalPrinterColumns?: { name: string }[] }[] } }>('GET', path);
    expect(upgraded.spec.versions[0].additionalPrinterColumns?.map((c) => c.name)).toContain('ChartTest');

    expectHelmOk(await helm(['uninstall', crdRelease, '--namespace', namespace]), 'helm uninstall of the CRD chart');
    await expectStatus(admin, 'GET', path, 200);
    await admin.request('DELETE', path);
  });

  describe('the controller chart', () => {
    let installed: HelmResult;

    beforeAll(async () => {
      installed = await helm([
        'install', release, controllerChart,
        '--namespace', namespace,
        '--values', join(controllerChart, 'ci', 'irsa-values.yaml'),
      ]);
    });

    it('installs into a namespace enforcing the restricted Pod Security level, without warnings', async () => {
      expectHelmOk(installed, 'helm install');
      expect(installed.stdout).toContain(`karpenter-ts 0.1.0 is installed as release "${release}"`);
      expect(installed.stderr).not.toMatch(/PodSecurity/);
      const objects = [
        `/apis/apps/v1/namespaces/${namespace}/deployments/${release}`,
        `/api/v1/namespaces/${namespace}/serviceaccounts/${release}`,
        `/api/v1/namespaces/${namespace}/services/${release}`,
        `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets/${release}`,
        `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles/${release}`,
        `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings/${release}`,
        `/apis/rbac.authorization.k8s.io/v1/clusterroles/${release}`,
        `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${release}`,
      ];
      for (const path of objects) await expectStatus(admin, 'GET', path, 200);
    });

    it("admits the Deployment's pod under the restricted level, and refuses one without the hardening", async () => {
      const deployment = await admin.request<{ spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: Record<string, unknown>[] } } } }>(
        'GET',
        `/apis/apps/v1/namespaces/${namespace}/deployments/${release}`,
      );
      const pod = (spec: unknown) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { generateName: `${release}-`, namespace, labels: deployment.spec.template.metadata.labels },
        spec,
      });
      const template = deployment.spec.template.spec;
      const created = await admin.request<Manifest>('POST', `/api/v1/namespaces/${namespace}/pods`, { body: pod(template) });
      expect(created.metadata.name).toMatch(new RegExp(`^${release}-`));

      // The control: the same pod without the container hardening is refused, so the admission
      // plugin really checks this namespace.
      const unhardened = { ...template, containers: template.containers.map((c) => ({ ...c, securityContext: undefined })) };
      const refused = await admin.request('POST', `/api/v1/namespaces/${namespace}/pods`, { body: pod(unhardened) }).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(KubeApiError);
      expect((refused as KubeApiError).statusCode).toBe(403);
      expect((refused as KubeApiError).message).toContain('violates PodSecurity "restricted:latest"');
    });

    describe("with a token of the chart's ServiceAccount", () => {
      let controller: KubeClient;

      beforeAll(async () => {
        controller = clientWithToken(admin, await serviceAccountToken(admin, namespace, release, 600));
      });

      afterAll(() => controller?.close());

      async function allowed(group: string, resource: string, verb: string, namespace?: string, name?: string): Promise<boolean> {
        const [plural, subresource] = resource.split('/');
        const review = await controller.request<{ status: { allowed: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { group, resource: plural, subresource, verb, namespace, name } },
          },
        });
        return review.status.allowed;
      }

      it('is allowed everything the controller calls', async () => {
        const refused: string[] = [];
        for (const permission of controllerPermissions) {
          const ns = permission.scope === 'release-namespace' ? namespace : undefined;
          for (const verb of permission.verbs) {
            if (!(await allowed(permission.group, permission.resource, verb, ns, resourceNameFor(permission, release)))) {
              refused.push(`${verb} ${permission.group}/${permission.resource}`);
            }
          }
        }
        expect(refused).toEqual([]);
      });

      it('is refused what it must not do', async () => {
        const granted: string[] = [];
        for (const f of forbiddenPermissions) {
          const ns = f.namespace === 'release' ? namespace : f.namespace;
          if (await allowed(f.group, f.resource, f.verb, ns, f.name)) granted.push(`${f.verb} ${f.group}/${f.resource} in ${ns ?? 'all namespaces'}`);
        }
        expect(granted).toEqual([]);
      });

      it('really reads the cluster state and cannot read Secrets or delete Namespaces', async () => {
        await expectStatus(controller, 'GET', '/api/v1/nodes', 200);
        await expectStatus(controller, 'GET', '/api/v1/pods', 200);
        await expectStatus(controller, 'GET', '/apis/karpenter.sh/v1/nodepools', 200);
        await expectStatus(controller, 'GET', '/apis/karpenter.k8s.aws/v1/ec2nodeclasses', 200);
        await expectStatus(controller, 'GET', '/api/v1/secrets', 403);
        await expectStatus(controller, 'GET', `/api/v1/namespaces/${namespace}/secrets`, 403);
        await expectStatus(controller, 'DELETE', `/api/v1/namespaces/${namespace}`, 403);
        await expectStatus(controller, 'DELETE', '/api/v1/namespaces/kube-system', 403);
      });

      it('renews its own leader-election Lease and no other', async () => {
        const leases = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
        const lease = (name: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: { holderIdentity: 'test' } });
        const own = `${release}-leader-election`;
        await controller.request('POST', leases, { body: lease(own) });
        const current = await controller.request<Manifest>('GET', `${leases}/${own}`);
        await expectStatus(controller, 'PUT', `${leases}/${own}`, 200, { ...current, spec: { holderIdentity: 'renewed' } });

        await admin.request('POST', leases, { body: lease('someone-else') });
        await expectStatus(controller, 'GET', `${leases}/someone-else`, 403);
        await expectStatus(controller, 'PUT', `${leases}/someone-else`, 403, lease('someone-else'));
      });
    });
  });
});
