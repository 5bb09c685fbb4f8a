import type { KubeObject } from "../../api/meta.ts";
import { splitApiVersion } from "../kube/resource_ref.ts";

export type HealthStatus = "InProgress" | "Failed" | "Current" | "Terminating" | "NotFound" | "Unknown";

export interface ObjectHealth {
  status: HealthStatus;
  /** Short reason, e.g. LessReady; empty when Current. */
  reason: string;
  message: string;
}

interface Cond {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

type Obj = KubeObject & { spec?: Record<string, any>; status?: Record<string, any> };

const current = (message: string): ObjectHealth => ({ status: "Current", reason: "", message });
const progressing = (reason: string, message: string): ObjectHealth => ({ status: "InProgress", reason, message });
const failed = (reason: string, message: string): ObjectHealth => ({ status: "Failed", reason, message });

/**
 * The kstatus health of an object: generic rules (deletion, observedGeneration, Reconciling and
 * Stalled conditions), then the built-in kind rules, then a Ready condition. Jobs follow Flux's
 * rule: a running Job is still in progress. Unknown kinds without conditions count as Current.
 */
export function computeStatus(obj: KubeObject | undefined, now: number = Date.now()): ObjectHealth {
  if (!obj) return { status: "NotFound", reason: "NotFound", message: "object not found" };
  const o = obj as Obj;
  if (o.metadata.deletionTimestamp) return { status: "Terminating", reason: "Terminating", message: "Resource scheduled for deletion" };
  const generation = o.metadata.generation;
  const observed = o.status?.observedGeneration;
  if (generation !== undefined && observed !== undefined && generation !== observed) {
    return progressing("LatestGenerationNotObserved", `${o.kind} generation is ${generation}, but latest observed generation is ${observed}`);
  }
  const conds = conditions(o);
  const reconciling = conds.find((c) => c.type === "Reconciling" && c.status === "True");
  if (reconciling) return progressing(reconciling.reason ?? "Reconciling", reconciling.message ?? "");
  const stalled = conds.find((c) => c.type === "Stalled" && c.status === "True");
  if (stalled) return failed(stalled.reason ?? "Stalled", stalled.message ?? "");

  const { group } = splitApiVersion(o.apiVersion);
  const rule = rules[group ? `${group}/${o.kind}` : o.kind] ?? (group === "extensions" ? rules[`apps/${o.kind}`] : undefined);
  if (rule) return rule(o, conds, now);

  const ready = conds.find((c) => c.type === "Ready");
  if (ready?.status === "True") return current("Resource is Ready");
  if (ready) return progressing(ready.reason ?? "NotReady", ready.message ?? "Ready condition is not True");
  return current("Resource is current");
}

function conditions(o: Obj): Cond[] {
  const c = o.status?.conditions;
  return Array.isArray(c) ? (c as Cond[]) : [];
}

const num = (v: unknown, d = 0): number => (typeof v === "number" ? v : d);

const rules: Record<string, (o: Obj, conds: Cond[], now: number) => ObjectHealth> = {
  Service(o) {
    if (o.spec?.type === "LoadBalancer" && !o.spec?.clusterIP) return progressing("NoIPAssigned", "ClusterIP not set");
    return current("Service is ready");
  },
  Secret: () => current("Resource is always ready"),
  ConfigMap: () => current("Resource is always ready"),
  "batch/CronJob": () => current("Resource is always ready"),
  "policy/PodDisruptionBudget": () => current("Resource is current"),
  PersistentVolumeClaim(o) {
    if (o.status?.phase !== "Bound") return progressing("NotBound", "PVC is not Bound");
    return current("PVC is Bound");
  },
  Pod(o, conds, now) {
    const phase = o.status?.phase;
    if (phase === "Succeeded") return current("Pod has completed successfully");
    if (phase === "Failed") return current("Pod has completed, but not successfully");
    if (phase === "Running") {
      if (conds.some((c) => c.type === "Ready" && c.status === "True")) return current("Pod is Ready");
      const statuses = (o.status?.containerStatuses ?? []) as Array<{ name: string; state?: { waiting?: { reason?: string } } }>;
      const crash = statuses.find((s) => s.state?.waiting?.reason === "CrashLoopBackOff");
      if (crash) return failed("ContainerCrashLooping", `Container ${crash.name} is in CrashLoopBackOff`);
      return progressing("PodRunningNotReady", "Pod is running but is not Ready");
    }
    if (phase === "Pending") {
      const sched = conds.find((c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable");
      if (sched) {
        const age = now - Date.parse(o.metadata.creationTimestamp ?? new Date(now).toISOString());
        return age < 15_000 ? progressing("PodNotScheduled", "Pod has not been scheduled") : failed("PodUnschedulable", sched.message ?? "Pod could not be scheduled");
      }
      return progressing("PodPending", "Pod is in the Pending phase");
    }
    return progressing("PodNotObserved", "Pod phase not available");
  },
  "apps/Deployment"(o, conds) {
    let progressingOk = o.spec?.progressDeadlineSeconds === undefined;
    let available = false;
    for (const c of conds) {
      if (c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded") return failed("ProgressDeadlineExceeded", c.message ?? "Progress deadline exceeded");
      if (c.type === "Progressing" && c.status === "True" && c.reason === "NewReplicaSetAvailable") progressingOk = true;
      if (c.type === "Available" && c.status === "True") available = true;
    }
    const spec = num(o.spec?.replicas, 1);
    const s = o.status ?? {};
    const [replicas, updated, ready, avail] = [num(s.replicas), num(s.updatedReplicas), num(s.readyReplicas), num(s.availableReplicas)];
    if (spec > replicas) return progressing("LessReplicas", `Replicas: ${replicas}/${spec}`);
    if (spec > updated) return progressing("LessUpdated", `Updated: ${updated}/${spec}`);
    if (replicas > spec) return progressing("ExtraPods", `Pending termination: ${replicas - spec}`);
    if (updated > avail) return progressing("LessAvailable", `Available: ${avail}/${updated}`);
    if (spec > ready) return progressing("LessReady", `Ready: ${ready}/${spec}`);
    if (!progressingOk) return progressing("ReplicaSetNotAvailable", "Rollout in progress");
    if (!available) return progressing("DeploymentNotAvailable", "Deployment is not Available");
    return current(`Deployment is available. Replicas: ${replicas}`);
  },
  "apps/StatefulSet"(o) {
    if (o.spec?.updateStrategy?.type === "OnDelete") return current("StatefulSet is using the OnDelete strategy");
    const spec = num(o.spec?.replicas, 1);
    const s = o.status ?? {};
    if (spec > num(s.replicas)) return progressing("LessReplicas", `Replicas: ${num(s.replicas)}/${spec}`);
    if (spec > num(s.readyReplicas)) return progressing("LessReady", `Ready: ${num(s.readyReplicas)}/${spec}`);
    if (num(s.replicas) > spec) return progressing("ExtraPods", `Pending termination: ${num(s.replicas) - spec}`);
    const partition = o.spec?.updateStrategy?.rollingUpdate?.partition;
    if (typeof partition === "number") {
      if (num(s.updatedReplicas) < spec - partition) return progressing("PartitionRollout", `updated: ${num(s.updatedReplicas)}/${spec - partition}`);
      return current("Partitioned roll out complete");
    }
    if (spec > num(s.currentReplicas)) return progressing("LessCurrent", `current: ${num(s.currentReplicas)}/${spec}`);
    if (s.currentRevision !== s.updateRevision) return progressing("RevisionMismatch", "Waiting for updated revision to match current");
    return current(`All replicas scheduled as expected. Replicas: ${num(s.replicas)}`);
  },
  "apps/DaemonSet"(o) {
    const s = o.status ?? {};
    if (o.metadata.generation === undefined) return progressing("NoGeneration", "Missing metadata.generation");
    if (s.observedGeneration === undefined) return progressing("NoObservedGeneration", "Missing status.observedGeneration");
    if (s.desiredNumberScheduled === undefined) return progressing("NoDesiredNumber", "Missing .status.desiredNumberScheduled");
    const desired = num(s.desiredNumberScheduled);
    if (desired > num(s.currentNumberScheduled)) return progressing("LessCurrent", `Current: ${num(s.currentNumberScheduled)}/${desired}`);
    if (desired > num(s.updatedNumberScheduled)) return progressing("LessUpdated", `Updated: ${num(s.updatedNumberScheduled)}/${desired}`);
    if (desired > num(s.numberAvailable)) return progressing("LessAvailable", `Available: ${num(s.numberAvailable)}/${desired}`);
    if (desired > num(s.numberReady)) return progressing("LessReady", `Ready: ${num(s.numberReady)}/${desired}`);
    return current(`All replicas scheduled as expected. Replicas: ${desired}`);
  },
  "apps/ReplicaSet"(o, conds) {
    const failure = conds.find((c) => c.type === "ReplicaFailure" && c.status === "True");
    if (failure) return progressing("ReplicaFailure", failure.message ?? "Replica failure");
    const spec = num(o.spec?.replicas, 1);
    const s = o.status ?? {};
    if (spec > num(s.fullyLabeledReplicas)) return progressing("LessLabelled", `Labelled: ${num(s.fullyLabeledReplicas)}/${spec}`);
    if (spec > num(s.availableReplicas)) return progressing("LessAvailable", `Available: ${num(s.availableReplicas)}/${spec}`);
    if (spec > num(s.readyReplicas)) return progressing("LessReady", `Ready: ${num(s.readyReplicas)}/${spec}`);
    if (num(s.replicas) > spec) return progressing("ExtraPods", `Pending termination: ${num(s.replicas) - spec}`);
    return current(`ReplicaSet is available. Replicas: ${num(s.replicas)}`);
  },
  "batch/Job"(o, conds) {
    if (o.spec?.suspend === true) return current("Job is suspended");
    if (conds.some((c) => c.type === "Complete" && c.status === "True")) return current("Job Completed");
    const f = conds.find((c) => c.type === "Failed" && c.status === "True");
    if (f) return failed("JobFailed", f.message ?? "Job Failed");
    if (!o.status?.startTime) return progressing("JobNotStarted", "Job not started");
    return progressing("JobInProgress", "Job in progress");
  },
  "apiextensions.k8s.io/CustomResourceDefinition"(_o, conds) {
    const names = conds.find((c) => c.type === "NamesAccepted");
    if (names?.status === "False") return failed("NamesNotAccepted", names.message ?? "CRD names not accepted");
    const est = conds.find((c) => c.type === "Established");
    if (est?.status === "False" && est.reason !== "Installing") return failed(est.reason ?? "NotEstablished", est.message ?? "CRD not established");
    if (est?.status === "True") return current("CRD is established");
    return progressing("Installing", "Install in progress");
  },
};
