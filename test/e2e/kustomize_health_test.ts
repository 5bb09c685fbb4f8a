/**
 * Health and dependencies on the real control plane, driven by watches: wait on all applied
 * objects (a CRD applied in the first stage and its custom resources), CEL health rules, a
 * failing object named in the Ready message, dependsOn reacting the moment its dependency turns
 * Ready (with --requeue-dependency far away), and a dependency cycle reported as such.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { freshNamespace } from "../support/cluster.ts";
import {
  artifactServerForSuite, configMap, createGitRepository, deployment, eventually, gizmo, gizmoCrd, ksRef, kustomization, readyOf,
  startKustomize, waitReady, yamlDocs,
} from "./kustomize_support.ts";

describe("kustomize: health and dependencies", { concurrency: true }, () => {
  const server = artifactServerForSuite();

  it("waits for a Deployment and a new CRD's custom resources, with CEL rules", async (t) => {
    const ns = await freshNamespace("ks-health", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const { yaml: crd, group } = gizmoCrd(ns);
    const art = await server.publish({
      "crd.yaml": crd,
      "app.yaml": yamlDocs(deployment("web", 1), gizmo(group, "g1", { phase: "Provisioned" })),
    });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "app", {
      wait: true,
      targetNamespace: ns,
      healthCheckExprs: [{ apiVersion: `${group}/v1`, kind: "Gizmo", current: "status.phase == 'Provisioned'", failed: "status.phase == 'Failed'" }],
    }));
    const ks = await waitReady(api, ns, "app", { revision: art.revision }, 60_000);
    assert.match(ks.status!.conditions!.find((c) => c.type === "Healthy")!.message, /^Health check passed in/);
    assert.ok(ks.status!.inventory!.entries.some((e) => e.id === `_gizmos.${group}_apiextensions.k8s.io_CustomResourceDefinition`));
  });

  it("fails fast naming each failing object and its reason", async (t) => {
    const ns = await freshNamespace("ks-unhealthy", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const { yaml: crd, group } = gizmoCrd(ns);
    const art = await server.publish({
      "crd.yaml": crd,
      "app.yaml": yamlDocs(
        gizmo(group, "broken", { conditions: [{ type: "Stalled", status: "True", reason: "DiskFull", message: "volume is full" }] }),
        gizmo(group, "fine", {}),
      ),
    });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "app", { wait: true, targetNamespace: ns }));
    const ks = await waitReady(api, ns, "app", { status: "False", reason: "HealthCheckFailed" }, 60_000);
    const msg = readyOf(ks)!.message;
    assert.match(msg, /^health check failed after .*: failed early due to stalled resources: \[Gizmo\/.*\/broken status: 'Failed': volume is full\]$/);
    assert.doesNotMatch(msg, /fine/);
    assert.equal(ks.status!.conditions!.find((c) => c.type === "Healthy")?.reason, "HealthCheckFailed");
    assert.equal(ks.status!.inventory!.entries.length, 3, "the inventory records what was applied");
  });

  it("times out naming the objects still in progress", async (t) => {
    const ns = await freshNamespace("ks-timeout", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const { yaml: crd, group } = gizmoCrd(ns);
    const art = await server.publish({ "crd.yaml": crd, "app.yaml": gizmo(group, "slow", { conditions: [{ type: "Ready", status: "False", reason: "Provisioning", message: "waiting for capacity" }] }) });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "app", { wait: true, targetNamespace: ns, timeout: "30s" }));
    const ks = await waitReady(api, ns, "app", { status: "False", reason: "HealthCheckFailed" }, 60_000);
    assert.match(readyOf(ks)!.message, /timeout waiting for: \[Gizmo\/.*\/slow status: 'InProgress': waiting for capacity\]/);
  });

  it("starts a dependant the moment its dependency turns Ready, and names what blocks it", async (t) => {
    const ns = await freshNamespace("ks-deps", t);
    const { manager } = await startKustomize(ns, t, { requeueDependencyMs: 120_000 });
    const api = manager.api;
    const art = await server.publish({ "a/cm.yaml": configMap("from-a"), "b/cm.yaml": configMap("from-b") });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "b", { path: "./b", targetNamespace: ns, dependsOn: [{ name: "a" }] }));
    const blocked = await waitReady(api, ns, "b", { status: "False", reason: "DependencyNotReady" });
    assert.equal(readyOf(blocked)!.message, `dependency '${ns}/a' not found`);

    await api.create(ksRef, kustomization(ns, "a", { path: "./a", targetNamespace: ns }));
    const a = await waitReady(api, ns, "a", { revision: art.revision });
    const b = await waitReady(api, ns, "b", { revision: art.revision });
    const lag = Date.parse(readyOf(b)!.lastTransitionTime) - Date.parse(readyOf(a)!.lastTransitionTime);
    assert.ok(lag <= 2_000, `b became Ready ${lag}ms after a (requeue-dependency is 120s)`);
  });

  it("reports a dependency cycle", async (t) => {
    const ns = await freshNamespace("ks-cycle", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const art = await server.publish({ "cm.yaml": configMap("x") });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "a", { targetNamespace: ns, dependsOn: [{ name: "b" }] }));
    await api.create(ksRef, kustomization(ns, "b", { targetNamespace: ns, dependsOn: [{ name: "a" }] }));
    // "a" may first report b as not found (b is created a moment later); then the cycle.
    const cycleOf = async (name: string) => {
      const ks = await waitReady(api, ns, name, { status: "False", reason: "DependencyNotReady" });
      return readyOf(ks)!.message.startsWith("dependency cycle") ? ks : undefined;
    };
    const a = await eventually("a to report the cycle", () => cycleOf("a"));
    await eventually("b to report the cycle", () => cycleOf("b"));
    assert.equal(readyOf(a)!.message, `dependency cycle: ${ns}/a -> ${ns}/b -> ${ns}/a`);
    assert.equal(a.status!.conditions!.find((c) => c.type === "Stalled")?.status, "True");
  });
});
