import type { KubeObject } from "../api/meta.ts";

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Whether a CRD is Established (or has failed to be). */
export function crdState(obj: KubeObject): { ready: boolean; failed?: string } {
  const conditions = (obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  const names = conditions.find((c) => c.type === "NamesAccepted");
  if (names?.status === "False") return { ready: false, failed: `names not accepted: ${names.message}` };
  return { ready: conditions.some((c) => c.type === "Established" && c.status === "True") };
}

/** A Deployment's rollout as kstatus sees it: ready, or what it is waiting for, or failed. */
export function deploymentState(obj: KubeObject): { ready: boolean; detail: string; failed?: boolean } {
  const spec = obj.spec as { replicas?: number } | undefined;
  const status = (obj.status ?? {}) as {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
  const want = spec?.replicas ?? 1;
  const progressing = status.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") return { ready: false, failed: true, detail: progressing.message ?? "progress deadline exceeded" };
  if ((status.observedGeneration ?? 0) < (obj.metadata.generation ?? 0)) return { ready: false, detail: "rollout not started" };
  if ((status.updatedReplicas ?? 0) < want) return { ready: false, detail: `${status.updatedReplicas ?? 0}/${want} replicas updated` };
  if ((status.replicas ?? 0) > want) return { ready: false, detail: "old replicas terminating" };
  if ((status.availableReplicas ?? 0) < want) return { ready: false, detail: `${status.availableReplicas ?? 0}/${want} replicas available` };
  return { ready: true, detail: `${want}/${want} replicas available` };
}
