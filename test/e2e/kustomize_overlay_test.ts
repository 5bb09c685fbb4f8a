/**
 * The spec fields that shape a build, on the real control plane: postBuild substitution (inline,
 * from a ConfigMap and an optional missing Secret, defaults, the disable annotation), patches
 * (strategic merge and JSON 6902 with targets), images, namePrefix, targetNamespace,
 * commonMetadata and components, over a source that has its own kustomization.yaml.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { freshNamespace } from "../support/cluster.ts";
import {
  artifactServerForSuite, configMap, core, createGitRepository, deployment, deploymentRef, ksRef, kustomization, startKustomize, waitReady,
} from "./kustomize_support.ts";

interface Obj {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: { replicas?: number; template: { spec: { containers: Array<{ image: string }> } } };
}

describe("kustomize: overlay fields and substitution", () => {
  const server = artifactServerForSuite();

  it("layers the spec's kustomize fields and variables onto the source's kustomization", async (t) => {
    const ns = await freshNamespace("ks-overlay", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    await api.create(core("configmaps", "ConfigMap"), {
      apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cluster-vars", namespace: ns }, data: { region: "eu-west-1", tier: "gold" },
    });
    const art = await server.publish({
      "base/kustomization.yaml": "resources:\n- web.yaml\n- settings.yaml\n- literal.yaml\n",
      "base/web.yaml": deployment("web", 1, "nginx:1.25"),
      "base/settings.yaml": configMap("settings", { region: "${region}", tier: "${tier:=silver}", env: "${env}", owner: "${owner:-nobody}", size: "len-${#region}" }),
      "base/literal.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: literal\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  text: "\${not_a_var}"\n`,
      "components/extra/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- extra.yaml\n",
      "components/extra/extra.yaml": configMap("extra"),
    });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "app", {
      path: "./base",
      targetNamespace: ns,
      namePrefix: "p-",
      commonMetadata: { labels: { team: "web" }, annotations: { "example.com/owner": "web-team" } },
      images: [{ name: "nginx", newTag: "1.27" }],
      components: ["../components/extra"],
      patches: [
        { patch: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 0\n" },
        { patch: "- op: add\n  path: /metadata/annotations/patched\n  value: json6902\n", target: { kind: "ConfigMap", name: "settings" } },
      ],
      postBuild: {
        substitute: { env: "production" },
        substituteFrom: [{ kind: "ConfigMap", name: "cluster-vars" }, { kind: "Secret", name: "missing", optional: true }],
      },
    }));
    const ks = await waitReady(api, ns, "app", { revision: art.revision });
    assert.deepEqual(ks.status!.inventory!.entries.map((e) => e.id), [
      `${ns}_p-extra__ConfigMap`, `${ns}_p-literal__ConfigMap`, `${ns}_p-settings__ConfigMap`, `${ns}_p-web_apps_Deployment`,
    ]);
    const settings = await api.get<Obj>(core("configmaps", "ConfigMap"), ns, "p-settings");
    assert.deepEqual(settings.data, { region: "eu-west-1", tier: "gold", env: "production", owner: "nobody", size: "len-9" });
    assert.equal(settings.metadata.annotations?.patched, "json6902");
    assert.equal(settings.metadata.labels?.team, "web");
    assert.equal(settings.metadata.annotations?.["example.com/owner"], "web-team");
    const literal = await api.get<Obj>(core("configmaps", "ConfigMap"), ns, "p-literal");
    assert.equal(literal.data?.text, "${not_a_var}");
    const web = await api.get<Obj>(deploymentRef, ns, "p-web");
    assert.equal(web.spec?.replicas, 0);
    assert.equal(web.spec?.template.spec.containers[0].image, "nginx:1.27");
  });
});
