import type { LabelSelector } from './kubernetes.js';

type Labels = Readonly<Record<string, string>>;

/** A compiled label selector; `undefined` selectors (absent in the manifest) match nothing. */
export interface CompiledSelector {
  readonly matches: (labels: Labels) => boolean;
  /** A canonical form, equal for equal selectors. */
  readonly key: string;
}

/**
 * Compiles `matchLabels` + `matchExpressions`, plus `extra` expressions (from matchLabelKeys).
 * Throws for an unknown operator.
 */
export function compileSelector(selector: LabelSelector | undefined, extra: LabelSelector['matchExpressions'] = []): CompiledSelector {
  if (!selector) return { matches: () => false, key: 'none' };
  const checks: Array<(labels: Labels) => boolean> = [];
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}).sort()) {
    checks.push((labels) => labels[key] === value);
    parts.push(`${key}=${value}`);
  }
  for (const expression of [...(selector.matchExpressions ?? []), ...extra]) {
    const { key, operator } = expression;
    const values = new Set(expression.values ?? []);
    parts.push(`${key} ${operator} ${[...values].sort().join(',')}`);
    switch (operator) {
      case 'In':
        checks.push((labels) => key in labels && values.has(labels[key]));
        break;
      case 'NotIn':
        checks.push((labels) => !(key in labels) || !values.has(labels[key]));
        break;
      case 'Exists':
        checks.push((labels) => key in labels);
        break;
      case 'DoesNotExist':
        checks.push((labels) => !(key in labels));
        break;
      default:
        throw new Error(`label selector operator "${operator}" is not one of In, NotIn, Exists, DoesNotExist`);
    }
  }
  return { matches: (labels) => checks.every((check) => check(labels)), key: parts.sort().join(';') };
}
