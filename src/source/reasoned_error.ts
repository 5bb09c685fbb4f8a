/** A failure that knows the condition reason (Flux's) it is reported with; named after its class. */
export class ReasonedError<R extends string = string> extends Error {
  readonly reason: R;
  constructor(reason: R, message: string) {
    super(message);
    this.name = new.target.name;
    this.reason = reason;
  }
}
