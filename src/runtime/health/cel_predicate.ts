import { parse } from "@marcbachmann/cel-js";

/** A CEL expression that did not compile; the message names the expression. */
export class CelCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CelCompileError";
  }
}

/** A compiled boolean CEL expression; a missing field makes it false rather than an error. */
export type CelPredicate = (vars: Record<string, unknown>) => boolean;

export function compileCelPredicate(expr: string, what: string): CelPredicate {
  let fn: ReturnType<typeof parse>;
  try {
    fn = parse(expr);
  } catch (err) {
    throw new CelCompileError(`${what}: invalid CEL expression ${JSON.stringify(expr)}: ${firstLine(err)}`);
  }
  return (vars) => {
    let result: unknown;
    try {
      result = fn(vars);
    } catch (err) {
      if (/No such key/i.test((err as Error).message)) return false;
      throw new Error(`${what}: evaluating ${JSON.stringify(expr)}: ${firstLine(err)}`);
    }
    if (typeof result !== "boolean") throw new Error(`${what}: ${JSON.stringify(expr)} must evaluate to a bool, got ${typeof result}`);
    return result;
  };
}

function firstLine(err: unknown): string {
  return String((err as Error).message ?? err).split("\n")[0];
}
