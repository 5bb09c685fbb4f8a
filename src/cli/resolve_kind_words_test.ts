import assert from "node:assert/strict";
import { test } from "node:test";
import { CliError } from "./cli_error.ts";
import { resolveKindWords } from "./resolve_kind_words.ts";

const kinds = (words: string[], allowAll = false) =>
  resolveKindWords(words, { verb: "get", allowAll }).kinds.map((k) => k.def.kind);

test("flux's words, kubectl's names and short names all resolve", () => {
  assert.deepEqual(kinds(["source", "git"]), ["GitRepository"]);
  assert.deepEqual(kinds(["sources", "oci"]), ["OCIRepository"]);
  assert.deepEqual(kinds(["ks"]), ["Kustomization"]);
  assert.deepEqual(kinds(["kustomizations"]), ["Kustomization"]);
  assert.deepEqual(kinds(["hr"]), ["HelmRelease"]);
  assert.deepEqual(kinds(["GitRepository"]), ["GitRepository"]);
  assert.deepEqual(kinds(["gitrepo"]), ["GitRepository"]);
  assert.deepEqual(kinds(["alert-providers"]), ["Provider"]);
});

test("names after the kind are returned as the rest", () => {
  assert.deepEqual(resolveKindWords(["source", "git", "a", "b"], { verb: "suspend" }).rest, ["a", "b"]);
  assert.deepEqual(resolveKindWords(["ks", "git"], { verb: "get" }).rest, ["git"]);
});

test("all and sources select several kinds only where allowed", () => {
  assert.equal(kinds(["all"], true).length, 11);
  assert.deepEqual(kinds(["sources"], true), ["GitRepository", "OCIRepository", "HelmRepository", "HelmChart", "Bucket", "ExternalArtifact"]);
  assert.throws(() => kinds(["sources"]), /needs a source kind: git, oci, helm, chart, bucket, external/);
});

test("an unknown kind names the choices", () => {
  assert.throws(() => kinds(["pods"]), (err: unknown) => err instanceof CliError && /unknown kind "pods": want one of source git/.test(err.message));
  assert.throws(() => kinds(["source", "svn"]), /unknown source kind "svn"/);
  assert.throws(() => kinds([]), /needs a kind/);
});

test("a verb that does not fit the kind says so", () => {
  assert.throws(
    () => resolveKindWords(["source", "external", "x"], { verb: "suspend", accepts: (k) => k.suspendable }),
    /sluice suspend does not work on ExternalArtifact objects/,
  );
});
