import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.ts";
import { compileRegexSelector, SelectorError } from "./regex_selector.ts";

const deploy = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web-canary", namespace: "apps", labels: { tier: "front" }, annotations: { "example.com/hpa": "on" } } } as KubeObject;
const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web", namespace: "apps" } } as KubeObject;

test("compileRegexSelector: anchored regular expressions on group, version, kind, namespace, name", () => {
  const yes = (sel: object, obj = deploy) => compileRegexSelector(sel)(obj);
  assert.equal(yes({}), true);
  assert.equal(yes({ kind: "Deployment" }), true);
  assert.equal(yes({ kind: "Deploy" }), false, "anchored: a prefix does not match");
  assert.equal(yes({ kind: "ploy" }), false);
  assert.equal(yes({ kind: "Deploy.*|StatefulSet" }), true, "alternation inside the anchors");
  assert.equal(yes({ group: "apps", version: "v1" }), true);
  assert.equal(yes({ group: "apps" }, cm), false);
  assert.equal(yes({ group: "" }, cm), true, "an empty field matches everything");
  assert.equal(yes({ version: "v1" }, cm), true);
  assert.equal(yes({ name: ".*-canary", namespace: "apps" }), true);
  assert.equal(yes({ name: "web" }), false);
  assert.equal(yes({ kind: "Deployment", name: "web" }), false, "every field must match");
});

test("compileRegexSelector: label and annotation selectors", () => {
  const yes = (sel: object, obj = deploy) => compileRegexSelector(sel)(obj);
  assert.equal(yes({ labelSelector: "tier=front" }), true);
  assert.equal(yes({ labelSelector: "tier in (back)" }), false);
  assert.equal(yes({ labelSelector: "tier" }, cm), false);
  assert.equal(yes({ annotationSelector: "example.com/hpa=on" }), true);
  assert.equal(yes({ annotationSelector: "!example.com/hpa" }), false);
});

test("compileRegexSelector: a bad field is named", () => {
  assert.throws(() => compileRegexSelector({ kind: "Deploy(" }), (e: Error) => e instanceof SelectorError && e.field === "kind" && e.message === 'kind: "Deploy(": invalid regular expression: Unterminated group');
  assert.throws(() => compileRegexSelector({ kind: "a)|(b" }), /kind: "a\)\|\(b": invalid regular expression: Unmatched '\)'/, "cannot break out of the anchors");
  assert.throws(() => compileRegexSelector({ name: "(a)\\1" }), /name: "\(a\)\\\\1": unsupported regular expression: backreferences, lookarounds, inline flags and huge repetitions cannot be matched in linear time$/);
  assert.throws(() => compileRegexSelector({ labelSelector: "tier in" }), /SelectorError: labelSelector: "tier in": unable to parse requirement: found 'end of string', expected: '\('/);
  assert.throws(() => compileRegexSelector({ annotationSelector: "a=b c" }), /SelectorError: annotationSelector: "a=b c": unable to parse requirement: found 'c'/);
});
