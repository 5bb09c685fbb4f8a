import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import { ReconcileError, type ReconcileContext } from "../runtime/controller/reconciler.ts";
import { type ConfigKind, readConfig } from "./config_refs.ts";
import { SubstitutionError } from "./envsubst.ts";
import { ksReasons } from "./reasons.ts";
import { substituteObject } from "./substitute_object.ts";

const disableKey = "kustomize.toolkit.fluxcd.io/substitute";
const varName = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** Reads a referenced ConfigMap or Secret; undefined when it does not exist. */
export type ConfigReader = (kind: ConfigKind, namespace: string, name: string) => Promise<{ data?: Record<string, string> } | undefined>;

export interface SubstituteOptions {
  /** Fail on undefined variables without a default (Flux's StrictPostBuildSubstitutions, on by default). */
  strict: boolean;
}

/**
 * postBuild: loads variables from substituteFrom (later refs win) and substitute (wins over
 * both), then runs `${...}` substitution on every object that does not opt out with the
 * kustomize.toolkit.fluxcd.io/substitute: disabled label or annotation. Objects are replaced in place.
 */
export async function substitute(ks: Kustomization, objects: KubeObject[], ctx: ReconcileContext, opts: SubstituteOptions): Promise<void> {
  const postBuild = ks.spec.postBuild;
  if (!postBuild) return;
  const vars = await loadVariables(ks, (kind, namespace, name) => readConfig(ctx, kind, namespace, name));
  if (Object.keys(vars).length === 0 && postBuild.substituteStrategy !== "Always") return;
  for (const [i, obj] of objects.entries()) {
    const { labels, annotations } = obj.metadata;
    if (labels?.[disableKey] === "disabled" || annotations?.[disableKey] === "disabled") continue;
    try {
      objects[i] = substituteObject(obj, vars, opts);
    } catch (err) {
      const why = err instanceof SubstitutionError ? err.message : `the result is not valid YAML: ${(err as Error).message.split("\n")[0]}`;
      throw new ReconcileError(ksReasons.buildFailed, `post build failed for '${obj.apiVersion}/${obj.kind}/${obj.metadata.name}': ${why}`);
    }
  }
}

/**
 * The final postBuild variables of a Kustomization: substituteFrom in order (later refs win,
 * Secret values decoded, missing optional refs skipped), then spec.postBuild.substitute over them.
 * Throws a ReconcileError naming the ref or the variable on a missing required ref or a bad name.
 */
export async function loadVariables(ks: Kustomization, read: ConfigReader): Promise<Record<string, string>> {
  const vars: Record<string, string> = {};
  const namespace = ks.metadata.namespace!;
  for (const [i, ref] of (ks.spec.postBuild?.substituteFrom ?? []).entries()) {
    let obj: { data?: Record<string, string> } | undefined;
    try {
      obj = await read(ref.kind, namespace, ref.name);
    } catch (err) {
      throw new ReconcileError(ksReasons.buildFailed, `spec.postBuild.substituteFrom[${i}]: ${ref.kind} '${namespace}/${ref.name}': ${(err as Error).message}`);
    }
    if (!obj) {
      if (ref.optional) continue;
      throw new ReconcileError(ksReasons.buildFailed, `spec.postBuild.substituteFrom[${i}]: ${ref.kind} '${namespace}/${ref.name}': not found`);
    }
    for (const [k, v] of Object.entries(obj?.data ?? {})) vars[k] = ref.kind === "Secret" ? Buffer.from(v, "base64").toString("utf8") : v;
  }
  for (const [k, v] of Object.entries(ks.spec.postBuild?.substitute ?? {})) vars[k] = v.replaceAll("\n", "");
  for (const k of Object.keys(vars)) {
    if (!varName.test(k)) throw new ReconcileError(ksReasons.buildFailed, `postBuild variable name ${JSON.stringify(k)} is not valid: names must match ${varName.source}`);
  }
  return vars;
}
