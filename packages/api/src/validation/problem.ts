/** One thing wrong with a manifest: where (a Kubernetes field path such as `spec.template.spec.requirements[0].key`) and how to fix it. */
export interface ValidationProblem {
  readonly path: string;
  readonly message: string;
  /** The schema keyword (`required`, `enum`, `pattern`, …) or the CEL rule that failed. */
  readonly rule: string;
}

/** Thrown by `assertValid`: lists every problem of the object, one per line. */
export class ValidationError extends Error {
  constructor(
    readonly object: string,
    readonly problems: readonly ValidationProblem[],
  ) {
    super(`${object} is invalid:\n${problems.map((p) => `  - ${p.path || '(object)'}: ${p.message}`).join('\n')}`);
    this.name = 'ValidationError';
  }
}

export const fieldPath = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);
export const indexPath = (parent: string, index: number) => `${parent}[${index}]`;
