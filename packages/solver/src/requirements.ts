import type { NodeSelectorRequirement } from '@karpenter-ts/api';
import { WellKnownLabels, normalizeLabelKey } from '@karpenter-ts/api';
import type { NodeSelectorRequirementLike } from './kubernetes.js';

const operators = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte']);
const integer = /^-?\d+$/;

/** Thrown for a node selector requirement that is not valid. */
export class RequirementError extends Error {}

/**
 * The set of values one label key may take. `In` is a finite set; `NotIn`, `Exists` and the
 * integer bounds (`Gt`, `Lt`, `Gte`, `Lte`) are complements of a finite set, optionally bounded;
 * `DoesNotExist` is the empty set.
 *
 * @example
 * const zone = Requirement.from({ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a', 'b'] });
 * zone.intersect(Requirement.from({ key: zone.key, operator: 'NotIn', values: ['a'] })).has('b') // true
 */
export class Requirement {
  private constructor(
    readonly key: string,
    readonly complement: boolean,
    readonly values: ReadonlySet<string>,
    /** Exclusive integer bounds, only on complements (finite sets are filtered instead). */
    readonly greaterThan: number | undefined,
    readonly lessThan: number | undefined,
    readonly minValues: number | undefined,
  ) {}

  static in(key: string, values: Iterable<string>, minValues?: number): Requirement {
    return new Requirement(key, false, new Set(values), undefined, undefined, minValues);
  }

  static exists(key: string): Requirement {
    return new Requirement(key, true, new Set(), undefined, undefined, undefined);
  }

  /** Builds a requirement from its manifest form; throws {@link RequirementError} naming the fix. */
  static from(selector: NodeSelectorRequirementLike): Requirement {
    const key = normalizeLabelKey(selector.key);
    const values = selector.values ?? [];
    if (!operators.has(selector.operator)) {
      throw new RequirementError(`operator "${selector.operator}" is not one of In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte`);
    }
    if (selector.minValues !== undefined && (!Number.isInteger(selector.minValues) || selector.minValues < 1)) {
      throw new RequirementError(`minValues ${selector.minValues} must be a positive integer`);
    }
    switch (selector.operator) {
      case 'In':
        if (values.length === 0) throw new RequirementError(`operator In on "${key}" needs at least one value`);
        return new Requirement(key, false, new Set(values), undefined, undefined, selector.minValues);
      case 'NotIn':
        return new Requirement(key, true, new Set(values), undefined, undefined, selector.minValues);
      case 'Exists':
        return new Requirement(key, true, new Set(), undefined, undefined, selector.minValues);
      case 'DoesNotExist':
        return new Requirement(key, false, new Set(), undefined, undefined, undefined);
      default: {
        if (values.length !== 1 || !integer.test(values[0])) {
          throw new RequirementError(`operator ${selector.operator} on "${key}" needs exactly one integer value`);
        }
        const n = Number(values[0]);
        const [gt, lt] =
          selector.operator === 'Gt' ? [n, undefined] : selector.operator === 'Gte' ? [n - 1, undefined] : selector.operator === 'Lt' ? [undefined, n] : [undefined, n + 1];
        return new Requirement(key, true, new Set(), gt, lt, selector.minValues);
      }
    }
  }

  has(value: string): boolean {
    if (!this.complement) return this.values.has(value);
    if (this.values.has(value)) return false;
    return this.withinBounds(value);
  }

  private withinBounds(value: string): boolean {
    if (this.greaterThan === undefined && this.lessThan === undefined) return true;
    if (!integer.test(value)) return false;
    const n = Number(value);
    return (this.greaterThan === undefined || n > this.greaterThan) && (this.lessThan === undefined || n < this.lessThan);
  }

  isEmpty(): boolean {
    if (!this.complement) return this.values.size === 0;
    return this.greaterThan !== undefined && this.lessThan !== undefined && this.greaterThan + 1 >= this.lessThan;
  }

  /** NotIn or DoesNotExist: the label may be absent. */
  allowsAbsence(): boolean {
    return (this.complement && this.values.size > 0 && this.greaterThan === undefined && this.lessThan === undefined) || (!this.complement && this.values.size === 0);
  }

  /** Finite values, or undefined when the set is a complement. */
  finiteValues(): ReadonlySet<string> | undefined {
    return this.complement ? undefined : this.values;
  }

  intersect(other: Requirement): Requirement {
    const minValues = maxDefined(this.minValues, other.minValues);
    if (this.complement && other.complement) {
      return new Requirement(
        this.key,
        true,
        new Set([...this.values, ...other.values]),
        maxDefined(this.greaterThan, other.greaterThan),
        minDefined(this.lessThan, other.lessThan),
        minValues,
      );
    }
    const [finite, filter] = this.complement ? [other, this] : [this, other];
    const values = new Set<string>();
    for (const value of finite.values) if (filter.has(value)) values.add(value);
    return new Requirement(this.key, false, values, undefined, undefined, minValues);
  }

  /** Both can hold at once; two "may be absent" requirements (NotIn, DoesNotExist) always can. */
  intersects(other: Requirement): boolean {
    if (this.complement && other.complement) {
      const gt = maxDefined(this.greaterThan, other.greaterThan);
      const lt = minDefined(this.lessThan, other.lessThan);
      if (gt === undefined || lt === undefined || gt + 1 < lt) return true;
    } else {
      const [finite, filter] = this.complement ? [other, this] : [this, other];
      for (const value of finite.values) if (filter.has(value)) return true;
    }
    return this.allowsAbsence() && other.allowsAbsence();
  }

  /** Whether this holds exactly the values of `narrower`, given that `narrower` is a subset of it. */
  sameAsSubset(narrower: Requirement): boolean {
    return (
      this.complement === narrower.complement &&
      this.values.size === narrower.values.size &&
      this.greaterThan === narrower.greaterThan &&
      this.lessThan === narrower.lessThan &&
      this.minValues === narrower.minValues
    );
  }

  /** The single value, when the set is exactly one value. */
  singleValue(): string | undefined {
    return !this.complement && this.values.size === 1 ? this.values.values().next().value : undefined;
  }

  /** The manifest form (a bounded complement becomes Gt/Lt entries). */
  toSelectors(): NodeSelectorRequirement[] {
    const minValues = this.minValues === undefined ? {} : { minValues: this.minValues };
    if (!this.complement) {
      if (this.values.size === 0) return [{ key: this.key, operator: 'DoesNotExist' }];
      return [{ key: this.key, operator: 'In', values: [...this.values].sort(), ...minValues }];
    }
    const out: NodeSelectorRequirement[] = [];
    if (this.values.size > 0) out.push({ key: this.key, operator: 'NotIn', values: [...this.values].sort(), ...minValues });
    if (this.greaterThan !== undefined) out.push({ key: this.key, operator: 'Gt', values: [String(this.greaterThan)] });
    if (this.lessThan !== undefined) out.push({ key: this.key, operator: 'Lt', values: [String(this.lessThan)] });
    if (out.length === 0) out.push({ key: this.key, operator: 'Exists', ...minValues });
    return out;
  }

  toString(): string {
    if (!this.complement) return this.values.size === 0 ? `${this.key} does not exist` : `${this.key} in [${[...this.values].sort().join(', ')}]`;
    const parts: string[] = [];
    if (this.values.size > 0) parts.push(`not in [${[...this.values].sort().join(', ')}]`);
    if (this.greaterThan !== undefined) parts.push(`> ${this.greaterThan}`);
    if (this.lessThan !== undefined) parts.push(`< ${this.lessThan}`);
    return `${this.key} ${parts.length ? parts.join(' and ') : 'exists'}`;
  }
}

/**
 * A conjunction of requirements, one per label key.
 *
 * @example
 * const pool = Requirements.from([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }]);
 * const pod = Requirements.from([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }]);
 * pool.compatible(pod) // undefined (compatible); otherwise a reason
 * pool.intersect(pod).get('karpenter.sh/capacity-type')?.has('on-demand') // false
 */
export class Requirements {
  private readonly byKey: Map<string, Requirement>;

  constructor(requirements: Iterable<Requirement> = []) {
    this.byKey = new Map();
    for (const requirement of requirements) this.addInPlace(requirement);
  }

  static from(selectors: readonly NodeSelectorRequirementLike[] = []): Requirements {
    return new Requirements(selectors.map((s) => Requirement.from(s)));
  }

  /** Labels as `In` requirements of a single value. */
  static fromLabels(labels: Readonly<Record<string, string>> = {}): Requirements {
    return new Requirements(Object.entries(labels).map(([key, value]) => Requirement.in(normalizeLabelKey(key), [value])));
  }

  private addInPlace(requirement: Requirement): void {
    const existing = this.byKey.get(requirement.key);
    this.byKey.set(requirement.key, existing ? existing.intersect(requirement) : requirement);
  }

  get(key: string): Requirement | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  values(): IterableIterator<Requirement> {
    return this.byKey.values();
  }

  get size(): number {
    return this.byKey.size;
  }

  /** A new set holding both (keys present in both are intersected). */
  intersect(other: Requirements): Requirements {
    const result = new Requirements(this.byKey.values());
    for (const requirement of other.byKey.values()) result.addInPlace(requirement);
    return result;
  }

  /** The intersection, or this same object when `other` narrows nothing. */
  narrowedBy(other: Requirements): Requirements {
    let result: Requirements | undefined;
    for (const requirement of other.byKey.values()) {
      const existing = (result ?? this).byKey.get(requirement.key);
      const next = existing ? existing.intersect(requirement) : requirement;
      if (existing && existing.sameAsSubset(next)) continue;
      result ??= new Requirements(this.byKey.values());
      result.byKey.set(requirement.key, next);
    }
    return result ?? this;
  }

  with(requirement: Requirement): Requirements {
    const result = new Requirements(this.byKey.values());
    result.addInPlace(requirement);
    return result;
  }

  /**
   * Whether a pod's requirements can be met by a node with these requirements; returns the
   * reason when not. A key the node does not define is allowed only for well-known labels
   * (decided later by the instance type) or when the pod accepts its absence (NotIn, DoesNotExist).
   */
  compatible(pod: Requirements, wellKnown: ReadonlySet<string> = WellKnownLabels): string | undefined {
    for (const incoming of pod.byKey.values()) {
      const existing = this.byKey.get(incoming.key);
      if (existing) {
        if (!existing.intersects(incoming)) return conflict(existing, incoming);
      } else if (!wellKnown.has(incoming.key) && !incoming.allowsAbsence()) {
        return `label "${incoming.key}" has no known values (add it to the NodePool's requirements or template labels)`;
      }
    }
    return undefined;
  }

  /** Whether every key defined in both can hold at once; returns the conflict when not. */
  intersects(other: Requirements): string | undefined {
    const [small, large] = this.byKey.size <= other.byKey.size ? [this, other] : [other, this];
    for (const requirement of small.byKey.values()) {
      const counterpart = large.byKey.get(requirement.key);
      if (counterpart && !counterpart.intersects(requirement)) return conflict(this.byKey.get(requirement.key)!, other.byKey.get(requirement.key)!);
    }
    return undefined;
  }

  /** The labels these requirements fix to a single value. */
  labels(): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const requirement of this.byKey.values()) {
      const values = requirement.finiteValues();
      if (values?.size === 1) labels[requirement.key] = values.values().next().value!;
    }
    return labels;
  }

  toSelectors(): NodeSelectorRequirement[] {
    return [...this.byKey.keys()].sort().flatMap((key) => this.byKey.get(key)!.toSelectors());
  }

  toString(): string {
    return [...this.byKey.values()].map(String).join(', ');
  }
}

function conflict(existing: Requirement, incoming: Requirement): string {
  return `requires ${incoming}, but the node has ${existing}`;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
