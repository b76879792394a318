import type { ResourceAmounts } from '@karpenter-ts/api';
import type { Container, Pod, ResourceList } from './kubernetes.js';
import { FieldError } from './field-error.js';
import { QuantityError, parseQuantity } from './quantity.js';


/** Parses a resource list into canonical amounts; `field` names it in errors. */
export function parseResourceList(list: ResourceList | undefined, field: string): Record<string, number> {
  const amounts: Record<string, number> = {};
  for (const [name, quantity] of Object.entries(list ?? {})) {
    try {
      amounts[name] = parseQuantity(quantity, name);
    } catch (error) {
      if (error instanceof QuantityError) throw new FieldError(`${field}.${name}`, error.message);
      throw error;
    }
  }
  return amounts;
}

function containerRequests(container: Container, field: string): Record<string, number> {
  // Kubernetes defaults a missing request to the limit.
  const limits = parseResourceList(container.resources?.limits, `${field}.resources.limits`);
  const requests = parseResourceList(container.resources?.requests, `${field}.resources.requests`);
  return { ...limits, ...requests };
}

function addInto(target: Record<string, number>, amounts: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(amounts)) target[name] = (target[name] ?? 0) + value;
}

/**
 * The resources a pod needs on a node, as kube-scheduler computes them: app containers and
 * sidecars (init containers with `restartPolicy: Always`) add up; a regular init container
 * needs its own request plus the sidecars started before it; the larger wins, per resource;
 * then the pod overhead is added. Every pod also takes one `pods` slot.
 *
 * @example
 * podRequests({ spec: { containers: [{ resources: { requests: { cpu: '250m', memory: '64Mi' } } }] } })
 * // { cpu: 250, memory: 67108864, pods: 1 }
 */
export function podRequests(pod: Pod): ResourceAmounts {
  const spec = pod.spec ?? {};
  const app: Record<string, number> = {};
  (spec.containers ?? []).forEach((c, i) => addInto(app, containerRequests(c, `spec.containers[${i}]`)));
  const sidecars: Record<string, number> = {};
  const initPeak: Record<string, number> = {};
  (spec.initContainers ?? []).forEach((c, i) => {
    const requests = containerRequests(c, `spec.initContainers[${i}]`);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, requests);
      for (const [name, value] of Object.entries(sidecars)) initPeak[name] = Math.max(initPeak[name] ?? 0, value);
    } else {
      for (const name of new Set([...Object.keys(requests), ...Object.keys(sidecars)])) {
        initPeak[name] = Math.max(initPeak[name] ?? 0, (requests[name] ?? 0) + (sidecars[name] ?? 0));
      }
    }
  });
  addInto(app, sidecars);
  const total: Record<string, number> = { ...app };
  for (const [name, value] of Object.entries(initPeak)) total[name] = Math.max(total[name] ?? 0, value);
  addInto(total, parseResourceList(spec.overhead, 'spec.overhead'));
  total.pods = 1;
  return total;
}

/** Dense resource vectors over the resource names of one scheduling run. */
export class ResourceIndex {
  readonly names: string[] = [];
  private readonly positions = new Map<string, number>();

  constructor(names: Iterable<string>) {
    for (const name of names) this.add(name);
  }

  add(name: string): number {
    let position = this.positions.get(name);
    if (position === undefined) {
      position = this.names.length;
      this.names.push(name);
      this.positions.set(name, position);
    }
    return position;
  }

  position(name: string): number | undefined {
    return this.positions.get(name);
  }

  vector(amounts: Readonly<Record<string, number>> = {}, missing = 0): Float64Array {
    const vector = new Float64Array(this.names.length).fill(missing);
    for (const [name, value] of Object.entries(amounts)) {
      const position = this.positions.get(name);
      if (position !== undefined) vector[position] = value;
    }
    return vector;
  }

  amounts(vector: Float64Array): Record<string, number> {
    const amounts: Record<string, number> = {};
    this.names.forEach((name, i) => {
      if (vector[i] !== 0) amounts[name] = vector[i];
    });
    return amounts;
  }
}

export function fits(requests: Float64Array, available: Float64Array): boolean {
  for (let i = 0; i < requests.length; i++) if (requests[i] > available[i]) return false;
  return true;
}

export function sum(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}
