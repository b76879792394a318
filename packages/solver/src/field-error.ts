/** An invalid field of an object given to the solver; `field` is the path inside the object. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
