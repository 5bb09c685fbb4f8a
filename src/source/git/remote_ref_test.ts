import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidRefError, RefNotFoundError, resolveRemoteRef, revisionOf } from "./remote_ref.ts";

const a = "a".repeat(40);
const b = "b".repeat(40);
const t = "c".repeat(40);
const listing = new Map([
  ["refs/heads/main", a],
  ["refs/heads/master", b],
  ["refs/tags/v1.0.0", t],
  ["refs/tags/v1.0.0^{}", a],
  ["refs/tags/v1.1.0", b],
  ["refs/pull/4/head", b],
]);

test("refs resolve with Flux's precedence and revision formats", () => {
  const rev = (ref: object) => revisionOf(resolveRemoteRef(ref, listing));
  assert.equal(rev({}), `master@sha1:${b}`);
  assert.equal(rev({ branch: "main" }), `main@sha1:${a}`);
  assert.equal(rev({ branch: "main", tag: "v1.0.0" }), `v1.0.0@sha1:${a}`);
  assert.equal(rev({ tag: "v1.0.0", semver: "*" }), `v1.0.0@sha1:${a}`);
  assert.equal(rev({ semver: "^1", branch: "main" }), `v1.1.0@sha1:${b}`);
  assert.equal(rev({ name: "refs/pull/4/head", tag: "v1.0.0" }), `refs/pull/4/head@sha1:${b}`);
  assert.equal(rev({ commit: a, name: "refs/pull/4/head" }), `sha1:${a}`);
  assert.equal(rev({ commit: a, branch: "main" }), `main@sha1:${a}`);
});

test("missing refs and bad names fail with the ref named", () => {
  assert.throws(() => resolveRemoteRef({ branch: "nope" }, listing), (e: unknown) => e instanceof RefNotFoundError && /refs\/heads\/nope/.test(e.message));
  assert.throws(() => resolveRemoteRef({ tag: "v9" }, listing), /refs\/tags\/v9/);
  assert.throws(() => resolveRemoteRef({ semver: ">=5" }, listing), /no match found for semver: >=5/);
  assert.throws(() => resolveRemoteRef({ commit: "abc" }, listing), InvalidRefError);
});
