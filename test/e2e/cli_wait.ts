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
