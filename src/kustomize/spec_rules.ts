import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import { ReconcileError } from "../runtime/controller/reconciler.ts";
import { compileCelHealth } from "../runtime/health/cel_health.ts";
import { CelCompileError } from "../runtime/health/cel_predicate.ts";
import { compileIgnoreRules, IgnoreRuleError } from "./ignore_rules.ts";
import { ksReasons } from "./reasons.ts";

/** The rules a Kustomization's spec carries, compiled once per reconcile. */
export interface SpecRules {
  celHealth: ReturnType<typeof compileCelHealth>;
  /** spec.ignore: the JSON pointers left alone on an object, if any rule is set. */
  ignoredFields: ((obj: KubeObject) => string[]) | undefined;
}

/**
 * Compiles healthCheckExprs and spec.ignore before anything is fetched: a bad rule stalls the
 * Kustomization (until its spec changes) with a message naming the rule.
 */
export function compileSpecRules(ks: Kustomization): SpecRules {
  try {
    return { celHealth: compileCelHealth(ks.spec.healthCheckExprs ?? []), ignoredFields: compileIgnoreRules(ks.spec.ignore) };
  } catch (err) {
    if (err instanceof CelCompileError) {
      throw new ReconcileError(ksReasons.invalidCEL, `Reconciliation failed terminally due to configuration error: ${err.message}`, { stalled: true });
    }
    if (err instanceof IgnoreRuleError) {
      throw new ReconcileError(ksReasons.failed, `Reconciliation failed terminally due to configuration error: ${err.message}`, { stalled: true });
    }
    throw err;
  }
}
