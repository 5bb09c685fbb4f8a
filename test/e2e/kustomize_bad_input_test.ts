/**
 * Bad input, each with the condition and reason it must produce, on the real control plane:
 * missing or unready source, digest mismatch, corrupt tarball, missing path, broken
 * kustomization.yaml, builds reaching outside the artifact, undefined variables in strict mode,
 * a wrong SOPS key, a dry-run rejection (nothing of the stage applied), an immutable change
 * without force, an impersonated RBAC denial, and an empty build with prune. Nothing in the
 * inventory is pruned after a failed build.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import type { Kustomization } from "../../src/api/kustomize/kustomization.ts";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { ageKeyPair, sopsEncrypt } from "../../src/kustomize/encrypt_sops.ts";
import { freshNamespace } from "../support/cluster.ts";
import {
  artifactServerForSuite, configMap, core, createGitRepository, getKs, gitRef, ksRef, kustomization, readyOf, setArtifact, startKustomize,
  waitReady,
} from "./kustomize_support.ts";

const rbac = (resource: string, kind: string) => ({ group: "rbac.authorization.k8s.io", version: "v1", resource, kind, namespaced: true });

async function expectFailure(api: ObjectApi, ns: string, name: string, reason: string, message: RegExp): Promise<Kustomization> {
  const ks = await waitReady(api, ns, name, { status: "False", reason });
  assert.match(readyOf(ks)!.message, message);
  return ks;
}

describe("kustomize: bad input", { concurrency: true }, () => {
  const server = artifactServerForSuite();

  it("source and artifact faults: ArtifactFailed, naming what is wrong", async (t) => {
    const ns = await freshNamespace("ks-bad-src", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const good = await server.publish({ "app/cm.yaml": configMap("x") });
    const mismatch = await server.publish({ "app/cm.yaml": configMap("x") }, { digest: `sha256:${"ab".repeat(32)}` });
    const junk = Buffer.from("definitely not gzip");
    const corrupt = await server.publish({}, { raw: junk });
    const escaping = await server.publish({ "app/cm.yaml": configMap("x"), "app/passwd.yaml": { symlink: "../../../../etc/passwd" } });
    await createGitRepository(api, ns, "empty");
    for (const [name, art] of [["good", good], ["mismatch", mismatch], ["corrupt", corrupt], ["escaping", escaping]] as const) {
      await createGitRepository(api, ns, name, art);
    }
    const spec = (source: string, path = "./app") => ({ path, targetNamespace: ns, sourceRef: { kind: "GitRepository" as const, name: source } });
    await api.create(ksRef, kustomization(ns, "missing-source", spec("nope")));
    await api.create(ksRef, kustomization(ns, "no-artifact", spec("empty")));
    await api.create(ksRef, kustomization(ns, "digest", spec("mismatch")));
    await api.create(ksRef, kustomization(ns, "corrupt", spec("corrupt")));
    await api.create(ksRef, kustomization(ns, "symlink", spec("escaping")));
    await api.create(ksRef, kustomization(ns, "no-path", spec("good", "./not/there")));
    await api.create(ksRef, kustomization(ns, "up-path", spec("good", "../../etc")));
    await expectFailure(api, ns, "missing-source", "ArtifactFailed", new RegExp(`^Source 'GitRepository/${ns}/nope' not found$`));
    await expectFailure(api, ns, "no-artifact", "ArtifactFailed", /^Source artifact not found, retrying in 2s/);
    await expectFailure(api, ns, "digest", "ArtifactFailed", /has digest sha256:[0-9a-f]{64}, want sha256:abab/);
    await expectFailure(api, ns, "corrupt", "ArtifactFailed", /corrupt archive/);
    await expectFailure(api, ns, "symlink", "ArtifactFailed", /link "app\/passwd.yaml" points outside the archive/);
    await expectFailure(api, ns, "no-path", "ArtifactFailed", /kustomization path not found: "\.\/not\/there"/);
    await expectFailure(api, ns, "up-path", "ArtifactFailed", /spec.path "\.\.\/\.\.\/etc" points outside the artifact/);

    // The source appearing wakes the waiting Kustomization through the watch.
    await api.create(gitRef, { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: { name: "nope", namespace: ns }, spec: { url: "https://example.invalid/x.git", interval: "1h", suspend: true } });
    await setArtifact(api, ns, "nope", good);
    await waitReady(api, ns, "missing-source", { revision: good.revision });
  });

  it("build faults: BuildFailed, and the inventory from the last good build is kept", async (t) => {
    const ns = await freshNamespace("ks-bad-build", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const good = await server.publish({ "app/kustomization.yaml": "resources: [cm.yaml]\n", "app/cm.yaml": configMap("keep-me") });
    await createGitRepository(api, ns, "repo", good);
    await api.create(ksRef, kustomization(ns, "app", { path: "./app", targetNamespace: ns }));
    const ok = await waitReady(api, ns, "app", { revision: good.revision });
    assert.equal(ok.status!.inventory!.entries.length, 1);

    const bad = await server.publish({
      "app/kustomization.yaml": "resources: [cm.yaml\n",
      "up/kustomization.yaml": "resources:\n- ../../../etc/\n",
      "abs/kustomization.yaml": "resources:\n- /etc/passwd\n",
      "vars/cm.yaml": configMap("v", { a: "${undefined_var}" }),
      "empty/README.md": "nothing here",
    });
    await setArtifact(api, ns, "repo", bad);
    await api.create(ksRef, kustomization(ns, "up", { path: "./up", targetNamespace: ns }));
    await api.create(ksRef, kustomization(ns, "abs", { path: "./abs", targetNamespace: ns }));
    await api.create(ksRef, kustomization(ns, "vars", { path: "./vars", targetNamespace: ns, postBuild: { substitute: { other: "x" } } }));
    const failed = await expectFailure(api, ns, "app", "BuildFailed", /^kustomize build failed: app\/kustomization.yaml: invalid YAML/);
    assert.equal(failed.status!.lastAppliedRevision, good.revision);
    assert.equal(failed.status!.lastAttemptedRevision, bad.revision);
    assert.deepEqual(failed.status!.inventory, ok.status!.inventory, "the inventory is untouched");
    assert.ok(await api.find(core("configmaps", "ConfigMap"), ns, "keep-me"), "nothing pruned after a failed build");
    await expectFailure(api, ns, "up", "BuildFailed", /up\/kustomization.yaml: resources entry "..\/..\/..\/etc\/" points outside the artifact/);
    await expectFailure(api, ns, "abs", "BuildFailed", /abs\/kustomization.yaml: resources entry "\/etc\/passwd" is an absolute path/);
    await expectFailure(api, ns, "vars", "BuildFailed", /post build failed for 'v1\/ConfigMap\/v': variable not set \(strict mode\): "undefined_var"/);

    // A build with no objects would prune everything: refused unless the Kustomization opts in.
    await api.mergePatch(ksRef, ns, "app", { spec: { path: "./empty" } });
    await expectFailure(api, ns, "app", "EmptyBuild", /has no objects, which would prune all 1 objects in the inventory; refused/);
    assert.ok(await api.find(core("configmaps", "ConfigMap"), ns, "keep-me"));
    await api.mergePatch(ksRef, ns, "app", {
      metadata: { annotations: { "kustomize.toolkit.fluxcd.io/allow-empty-prune": "true", "reconcile.fluxcd.io/requestedAt": "allow" } },
    });
    await waitReady(api, ns, "app", { revision: bad.revision });
    assert.equal(await api.find(core("configmaps", "ConfigMap"), ns, "keep-me"), undefined);
  });

  it("SOPS: decrypts with the right age key, BuildFailed with a wrong one", async (t) => {
    const ns = await freshNamespace("ks-sops", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const right = await ageKeyPair();
    const wrong = await ageKeyPair();
    const secret = await sopsEncrypt({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "hunter2" } }, right.recipient);
    const art = await server.publish({ "secret.yaml": stringify(secret) });
    await createGitRepository(api, ns, "repo", art);
    for (const [name, key] of [["right-key", right.identity], ["wrong-key", wrong.identity]]) {
      await api.create(core("secrets", "Secret"), { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns }, stringData: { "age.agekey": `# test key\n${key}\n` } });
    }
    await api.create(ksRef, kustomization(ns, "right", { targetNamespace: ns, decryption: { provider: "sops", secretRef: { name: "right-key" } } }));
    await api.create(ksRef, kustomization(ns, "wrong", { targetNamespace: ns, namePrefix: "w-", decryption: { provider: "sops", secretRef: { name: "wrong-key" } } }));
    await api.create(ksRef, kustomization(ns, "none", { targetNamespace: ns, namePrefix: "n-" }));
    await waitReady(api, ns, "right", { revision: art.revision });
    const db = await api.get<{ data: Record<string, string> }>(core("secrets", "Secret"), ns, "db");
    assert.equal(Buffer.from(db.data.password, "base64").toString(), "hunter2");
    await expectFailure(api, ns, "wrong", "BuildFailed", /^decryption failed for 'Secret\/db' \(secret.yaml\): failed to decrypt the sops data key/);
    await expectFailure(api, ns, "none", "BuildFailed", /Secret\/.*\/n-db is SOPS encrypted, configuring decryption is required/);
  });

  it("SOPS: files encrypted to other keys outside what the Kustomization builds do not fail it", async (t) => {
    const ns = await freshNamespace("ks-sops-mono", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const [teamA, teamB] = [await ageKeyPair(), await ageKeyPair()];
    const secretOf = (name: string, recipient: string) => sopsEncrypt({ apiVersion: "v1", kind: "Secret", metadata: { name }, stringData: { token: name } }, recipient);
    const art = await server.publish({
      "team-a/secret.yaml": stringify(await secretOf("a-token", teamA.recipient)),
      "team-b/secret.yaml": stringify(await secretOf("b-token", teamB.recipient)),
    });
    await createGitRepository(api, ns, "repo", art);
    await api.create(core("secrets", "Secret"), { apiVersion: "v1", kind: "Secret", metadata: { name: "team-a-key", namespace: ns }, stringData: { "age.agekey": `${teamA.identity}\n` } });
    await api.create(ksRef, kustomization(ns, "team-a", { path: "./team-a", targetNamespace: ns, decryption: { provider: "sops", secretRef: { name: "team-a-key" } } }));
    await waitReady(api, ns, "team-a", { revision: art.revision });
    const token = await api.get<{ data: Record<string, string> }>(core("secrets", "Secret"), ns, "a-token");
    assert.equal(Buffer.from(token.data.token, "base64").toString(), "a-token");
    // Building team-b's folder with team-a's key names the file and the key it wants.
    await api.create(ksRef, kustomization(ns, "team-b", { path: "./team-b", targetNamespace: ns, decryption: { provider: "sops", secretRef: { name: "team-a-key" } } }));
    await expectFailure(api, ns, "team-b", "BuildFailed", new RegExp(`^decryption failed for 'Secret/b-token' \\(team-b/secret.yaml\\): failed to decrypt the sops data key: .*${teamB.recipient}`));
  });

  it("apply faults: dry-run rejection applies nothing of the stage; immutable fields need force", async (t) => {
    const ns = await freshNamespace("ks-bad-apply", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const art = await server.publish({
      "reject/ok.yaml": configMap("ok-cm"),
      "reject/bad.yaml": configMap("Bad_Name"),
      // The first new object of a stage is written without a dry-run, before the others: here the
      // rejected one comes after it, there (Bad_Name sorts first) it is that object.
      "reject-later/ok.yaml": configMap("ok-first"),
      "reject-later/bad.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: zzz-bad\ndata:\n  "bad key!": "x"\n`,
      "imm/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\nimmutable: true\ndata:\n  a: "1"\n`,
    });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "reject", { path: "./reject", targetNamespace: ns }));
    await api.create(ksRef, kustomization(ns, "imm", { path: "./imm", targetNamespace: ns }));
    await expectFailure(api, ns, "reject", "ReconciliationFailed", /^ConfigMap\/.*\/Bad_Name dry-run failed \(Invalid\): .*Bad_Name/);
    assert.equal(await api.find(core("configmaps", "ConfigMap"), ns, "ok-cm"), undefined, "nothing of the stage was applied");
    await api.create(ksRef, kustomization(ns, "reject-later", { path: "./reject-later", targetNamespace: ns }));
    await expectFailure(api, ns, "reject-later", "ReconciliationFailed", /^ConfigMap\/.*\/zzz-bad dry-run failed \(Invalid\): .*bad key!/);
    assert.equal(await api.find(core("configmaps", "ConfigMap"), ns, "ok-first"), undefined, "nothing of the stage was applied");
    await waitReady(api, ns, "imm", { revision: art.revision });

    const art2 = await server.publish({ "imm/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\nimmutable: true\ndata:\n  a: "2"\n` });
    await setArtifact(api, ns, "repo", art2);
    await expectFailure(api, ns, "imm", "ReconciliationFailed", /ConfigMap\/.*\/frozen dry-run failed \(Invalid\): .*immutable.*set spec.force/);
    await api.mergePatch(ksRef, ns, "imm", { spec: { force: true } });
    await waitReady(api, ns, "imm", { revision: art2.revision });
    const cm = await api.get<{ data: Record<string, string> }>(core("configmaps", "ConfigMap"), ns, "frozen");
    assert.equal(cm.data.a, "2", "recreated with the new data");
  });

  it("impersonation: acts as the service account; an RBAC denial names the object and the verb", async (t) => {
    const ns = await freshNamespace("ks-rbac", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    await api.create(core("serviceaccounts", "ServiceAccount"), { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "deployer", namespace: ns } });
    await api.create(rbac("roles", "Role"), {
      apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "configmaps", namespace: ns },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }],
    });
    await api.create(rbac("rolebindings", "RoleBinding"), {
      apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "deployer", namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "configmaps" },
      subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: ns }],
    });
    const art = await server.publish({ "allowed/cm.yaml": configMap("allowed"), "denied/svc.yaml": `apiVersion: v1\nkind: Service\nmetadata:\n  name: denied\nspec:\n  ports:\n  - port: 80\n` });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "allowed", { path: "./allowed", targetNamespace: ns, serviceAccountName: "deployer" }));
    await api.create(ksRef, kustomization(ns, "denied", { path: "./denied", targetNamespace: ns, serviceAccountName: "deployer" }));
    await waitReady(api, ns, "allowed", { revision: art.revision });
    const cm = await api.get<{ metadata: { managedFields: Array<{ manager: string }> } }>(core("configmaps", "ConfigMap"), ns, "allowed");
    assert.ok(cm.metadata.managedFields.some((f) => f.manager === "kustomize-controller"));
    await expectFailure(
      api, ns, "denied", "ReconciliationFailed",
      new RegExp(`^Service/${ns}/denied dry-run failed \\(Forbidden\\): .*"system:serviceaccount:${ns}:deployer" cannot patch resource "services"`),
    );
    const ks = await getKs(api, ns, "denied");
    assert.equal(ks.status?.inventory?.entries.length ?? 0, 0);
  });
});
