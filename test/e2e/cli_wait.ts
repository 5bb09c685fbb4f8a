import type { KubeObject } from "../../src/api/meta.ts";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { gitRepositoryRef, kustomizationRef } from "./cli_support.ts";

/** Test-side wait for Ready=True, polling briefly (the CLI under test is what must watch). */
export async function waitForReady(api: ObjectApi, kind: "GitRepository" | "Kustomization", namespace: string, name: string, timeoutMs = 20_000): Promise<KubeObject> {
  const ref = kind === "GitRepository" ? gitRepositoryRef : kustomizationRef;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const obj = await api.find(ref, namespace, name);
    const conditions = (obj?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
    if (obj && conditions.some((c) => c.type === "Ready" && c.status === "True")) return obj;
    if (Date.now() > deadline) throw new Error(`${kind} ${namespace}/${name} not ready after ${timeoutMs}ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Test-side wait until the Ready message matches, e.g. a failure the controller has settled on. */
export async function waitForMessage(api: ObjectApi, kind: "GitRepository" | "Kustomization", namespace: string, name: string, message: RegExp, timeoutMs = 30_000): Promise<void> {
  const ref = kind === "GitRepository" ? gitRepositoryRef : kustomizationRef;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const obj = await api.find(ref, namespace, name);
    const conditions = (obj?.status as { conditions?: Array<{ type: string; message: string }> } | undefined)?.conditions ?? [];
    if (conditions.some((c) => c.type === "Ready" && message.test(c.message))) return;
    if (Date.now() > deadline) throw new Error(`${kind} ${namespace}/${name}: Ready message never matched ${message}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
