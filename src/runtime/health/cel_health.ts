import type { CustomHealthCheck } from "../../api/applier.ts";
import type { KubeObject } from "../../api/meta.ts";
import { splitApiVersion } from "../kube/resource_ref.ts";
import { CelCompileError, type CelPredicate, compileCelPredicate } from "./cel_predicate.ts";
import type { ObjectHealth } from "./compute_status.ts";

/** Health from CEL rules for the kinds they name; undefined for kinds without a rule. */
export type CelHealth = (obj: KubeObject) => ObjectHealth | undefined;

interface Rule {
  current: CelPredicate;
  failed?: CelPredicate;
  inProgress?: CelPredicate;
}

/**
 * Compiles healthCheckExprs. A rule without a kind covers every kind of its API group; a rule
 * with a kind wins over it. Two rules for the same group and kind are a configuration error.
 * The expressions see the object's top-level fields (metadata, spec, status) as variables.
 */
export function compileCelHealth(checks: CustomHealthCheck[]): CelHealth {
  const rules = new Map<string, Rule>();
  for (const [i, c] of checks.entries()) {
    const { group } = splitApiVersion(c.apiVersion);
    const key = `${group}/${c.kind ?? ""}`;
    const where = `healthCheckExprs[${i}] (${c.kind ?? "*"}.${group || "core"})`;
    if (rules.has(key)) throw new CelCompileError(`${where}: duplicate rule for the same group and kind`);
    rules.set(key, {
      current: compileCelPredicate(c.current, `${where}.current`),
      failed: c.failed ? compileCelPredicate(c.failed, `${where}.failed`) : undefined,
      inProgress: c.inProgress ? compileCelPredicate(c.inProgress, `${where}.inProgress`) : undefined,
    });
  }
  if (rules.size === 0) return () => undefined;
  return (obj) => {
    const { group } = splitApiVersion(obj.apiVersion);
    const rule = rules.get(`${group}/${obj.kind}`) ?? rules.get(`${group}/`);
    if (!rule) return undefined;
    const status = (obj as { status?: { observedGeneration?: unknown } }).status;
    if (typeof status?.observedGeneration === "number" && status.observedGeneration !== obj.metadata.generation) {
      return { status: "InProgress", reason: "LatestGenerationNotObserved", message: "latest generation not observed" };
    }
    try {
      if (rule.inProgress?.(obj)) return { status: "InProgress", reason: "InProgress", message: "inProgress expression is true" };
      if (rule.failed?.(obj)) return { status: "Failed", reason: "Failed", message: "failed expression is true" };
      if (rule.current(obj)) return { status: "Current", reason: "", message: "current expression is true" };
    } catch (err) {
      return { status: "Unknown", reason: "EvaluationError", message: (err as Error).message };
    }
    return { status: "InProgress", reason: "InProgress", message: "no expression is true yet" };
  };
}
