import type { KubeObject } from "../api/meta.ts";
import type { ResourceRef } from "../runtime/kube/resource_ref.ts";
import { applyAndWait, applyObject, exportYaml } from "./apply_and_wait.ts";
import { kindByName } from "./cli_kinds.ts";
import { sluiceReconciles } from "./controller_sets.ts";
import type { CreateFlags, ExportFlags } from "./create_flags.ts";
import { Reporter } from "./reporter.ts";
import { runWithCluster } from "./run_with_cluster.ts";

export interface CreateOptions {
  /** The last line once the object is ready, e.g. "fetched revision main@sha1:…". */
  readyMessage?: (ready: KubeObject) => string | undefined;
  /** Set when the object never becomes Ready (a static kind): why nothing is waited for. */
  nothingToWaitFor?: string;
}

/**
 * How every `create` verb ends: with --export the object is printed as YAML; otherwise it is
 * applied (server-side, field manager "sluice") and, when a Sluice controller reconciles its kind
 * (or --wait-ready asks), followed until Ready. Without a controller, waiting could only time out.
 */
export async function createObject(obj: KubeObject, flags: Pick<CreateFlags, keyof ExportFlags | "waitReady">, opts: CreateOptions = {}): Promise<void> {
  if (flags.export) {
    process.stdout.write(exportYaml(obj));
    return;
  }
  const kind = kindByName(obj.kind)!;
  const reconciled = sluiceReconciles(kind.def.kind);
  const wait = !opts.nothingToWaitFor && (flags.waitReady ?? reconciled);
  const reporter = new Reporter();
  await runWithCluster(flags, async (cluster) => {
    if (!wait) {
      await applyObject(cluster, kind.ref, obj, reporter);
      if (opts.nothingToWaitFor) reporter.success(opts.nothingToWaitFor);
      else if (flags.waitReady === undefined) {
        reporter.warning(`not waiting for ${obj.kind} ${obj.metadata.name} to be ready: no Sluice controller reconciles ${obj.kind} yet (--wait-ready waits anyway)`);
      }
      return;
    }
    const ready = await applyAndWait(cluster, kind, obj, { timeoutMs: flags.timeout, reporter });
    reporter.success(opts.readyMessage?.(ready) ?? `${obj.kind} is ready`);
  });
}

/** The help paragraph on waiting for one kind, true to the controllers Sluice has now. */
export function waitHelp(kind: string): string {
  return sluiceReconciles(kind)
    ? `A Sluice controller reconciles ${kind}: create waits until it is Ready (--no-wait-ready does not).`
    : `No Sluice controller reconciles ${kind} yet: the object is applied and not waited for\n(--wait-ready waits, e.g. when Flux's own controllers run).`;
}

/** Prints the object with --export, else applies it as is (no controller answers for it: Secrets). */
export async function exportOrApply(obj: KubeObject, applied: KubeObject, ref: ResourceRef, flags: ExportFlags): Promise<void> {
  if (flags.export) {
    process.stdout.write(exportYaml(obj));
    return;
  }
  await runWithCluster(flags, (cluster) => applyObject(cluster, ref, applied, new Reporter()));
}
