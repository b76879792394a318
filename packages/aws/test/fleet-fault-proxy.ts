// An HTTP proxy in front of moto's EC2 endpoint that plays EC2's capacity behaviour, which moto
// lacks: CreateFleet overrides listed as failing are removed from the request and reported back
// in the response's errorSet (as EC2 does when an offering has no capacity); when none is left
// the proxy answers alone with only errors. Every CreateFleet's overrides are recorded, in order.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedOverride {
  readonly launchTemplateName: string;
  readonly instanceType: string;
  readonly subnetId: string;
  readonly zone: string;
  readonly priority?: number;
}

export interface RecordedFleet {
  readonly capacityType: string;
  readonly allocationStrategy: string;
  readonly overrides: RecordedOverride[];
  readonly tagSpecifications: Record<string, Record<string, string>>;
  readonly clientToken?: string;
}

/**
 * Offerings to fail with an error code: by subnet (for InsufficientFreeAddressesInSubnet), else
 * by instance type and zone; fields left out match anything.
 */
export interface InjectedFault {
  readonly code: string;
  readonly capacityType?: string;
  readonly instanceType?: string;
  readonly zone?: string;
  readonly subnetId?: string;
  /** Leave the zone out of the error, as EC2 may when the override named a subnet. */
  readonly omitZone?: boolean;
}

export class FleetFaultProxy {
  readonly fleets: RecordedFleet[] = [];
  faults: InjectedFault[] = [];
  /** Actions (e.g. `DescribeInstances` with an `InstanceId.1`) to answer with an HTTP 400 error. */
  failRequest: ((params: URLSearchParams) => string | undefined) | undefined;
  private server: Server | undefined;

  constructor(private readonly upstream: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(502);
          res.end(String(error));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks).toString('utf8');
    const params = new URLSearchParams(body);
    const failure = this.failRequest?.(params);
    if (failure) return errorResponse(failure);
    let errors: FleetErrorEntry[] = [];
    if (params.get('Action') === 'CreateFleet') {
      const fleet = recordFleet(params);
      this.fleets.push(fleet);
      const kept: RecordedOverride[] = [];
      for (const override of fleet.overrides) {
        const fault = this.faults.find(
          (f) =>
            (!f.capacityType || f.capacityType === fleet.capacityType) &&
            (!f.subnetId || f.subnetId === override.subnetId) &&
            (!f.instanceType || f.instanceType === override.instanceType) &&
            (!f.zone || f.zone === override.zone),
        );
        if (fault) errors.push({ override: fault.omitZone ? { ...override, zone: '' } : override, code: fault.code, lifecycle: fleet.capacityType });
        else kept.push(override);
      }
      if (kept.length === 0) return xml(fleetResponse(errors, ''));
      body = rewriteOverrides(params, kept);
    }
    const upstream = await fetch(this.upstream + (req.url ?? '/'), {
      method: req.method,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)) as [string, string][]),
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    let text = await upstream.text();
    if (errors.length) {
      text = text.replace('</CreateFleetResponse>', `${errorSet(errors)}</CreateFleetResponse>`);
      errors = [];
    }
    return { status: upstream.status, headers: { 'content-type': upstream.headers.get('content-type') ?? 'text/xml' }, body: text };
  }
}

function recordFleet(params: URLSearchParams): RecordedFleet {
  const overrides: RecordedOverride[] = [];
  for (let c = 1; params.has(`LaunchTemplateConfigs.${c}.LaunchTemplateSpecification.LaunchTemplateName`); c++) {
    for (let o = 1; params.has(`LaunchTemplateConfigs.${c}.Overrides.${o}.InstanceType`); o++) {
      const p = (field: string) => params.get(`LaunchTemplateConfigs.${c}.Overrides.${o}.${field}`) ?? '';
      const launchTemplateName = params.get(`LaunchTemplateConfigs.${c}.LaunchTemplateSpecification.LaunchTemplateName`)!;
      overrides.push({ launchTemplateName, instanceType: p('InstanceType'), subnetId: p('SubnetId'), zone: p('AvailabilityZone'), priority: p('Priority') ? Number(p('Priority')) : undefined });
    }
  }
  overrides.sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  const tagSpecifications: Record<string, Record<string, string>> = {};
  for (let t = 1; params.has(`TagSpecification.${t}.ResourceType`) || params.has(`TagSpecifications.${t}.ResourceType`); t++) {
    const prefix = params.has(`TagSpecification.${t}.ResourceType`) ? `TagSpecification.${t}` : `TagSpecifications.${t}`;
    const tags: Record<string, string> = {};
    for (let k = 1; params.has(`${prefix}.Tag.${k}.Key`); k++) tags[params.get(`${prefix}.Tag.${k}.Key`)!] = params.get(`${prefix}.Tag.${k}.Value`) ?? '';
    tagSpecifications[params.get(`${prefix}.ResourceType`)!] = tags;
  }
  const capacityType = params.get('TargetCapacitySpecification.DefaultTargetCapacityType') ?? '';
  return {
    capacityType,
    allocationStrategy: params.get(capacityType === 'spot' ? 'SpotOptions.AllocationStrategy' : 'OnDemandOptions.AllocationStrategy') ?? '',
    overrides,
    tagSpecifications,
    clientToken: params.get('ClientToken') ?? undefined,
  };
}

/** The request rebuilt with only the kept overrides, grouped by launch template again. */
function rewriteOverrides(params: URLSearchParams, kept: RecordedOverride[]): string {
  const next = new URLSearchParams([...params].filter(([key]) => !key.startsWith('LaunchTemplateConfigs.')));
  const templates = [...new Set(kept.map((o) => o.launchTemplateName))];
  templates.forEach((name, t) => {
    const config = `LaunchTemplateConfigs.${t + 1}`;
    next.append(`${config}.LaunchTemplateSpecification.LaunchTemplateName`, name);
    next.append(`${config}.LaunchTemplateSpecification.Version`, '$Latest');
    kept
      .filter((o) => o.launchTemplateName === name)
      .forEach((o, i) => {
        next.append(`${config}.Overrides.${i + 1}.InstanceType`, o.instanceType);
        next.append(`${config}.Overrides.${i + 1}.SubnetId`, o.subnetId);
        if (o.zone) next.append(`${config}.Overrides.${i + 1}.AvailabilityZone`, o.zone);
      });
  });
  return next.toString();
}

interface FleetErrorEntry {
  readonly override: RecordedOverride;
  readonly code: string;
  readonly lifecycle: string;
}

function errorSet(errors: FleetErrorEntry[]): string {
  const items = errors
    .map(
      ({ override, code, lifecycle }) =>
        `<item><launchTemplateAndOverrides><overrides><instanceType>${override.instanceType}</instanceType><subnetId>${override.subnetId}</subnetId>${override.zone ? `<availabilityZone>${override.zone}</availabilityZone>` : ''}</overrides></launchTemplateAndOverrides><lifecycle>${lifecycle}</lifecycle><errorCode>${code}</errorCode><errorMessage>injected by the test proxy</errorMessage></item>`,
    )
    .join('');
  return `<errorSet>${items}</errorSet>`;
}

function fleetResponse(errors: FleetErrorEntry[], instances: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>proxy</requestId><fleetId>fleet-proxy</fleetId>${errorSet(errors)}<fleetInstanceSet>${instances}</fleetInstanceSet></CreateFleetResponse>`;
}

function xml(body: string) {
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}

function errorResponse(code: string) {
  return {
    status: 400,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>injected by the test proxy</Message></Error></Errors><RequestID>proxy</RequestID></Response>`,
  };
}
