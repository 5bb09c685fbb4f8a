import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/meta.ts";
import { compileIgnoreRules, IgnoreRuleError } from "./ignore_rules.ts";

const deploy = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "apps", labels: { hpa: "on" } } } as KubeObject;
const sts = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db", namespace: "apps" } } as KubeObject;
const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web", namespace: "apps" } } as KubeObject;

test("compileIgnoreRules: no rules, no function", () => {
  assert.equal(compileIgnoreRules(undefined), undefined);
  assert.equal(compileIgnoreRules([]), undefined);
});

test("compileIgnoreRules: the pointers of every rule whose target matches, once each", () => {
  const ignored = compileIgnoreRules([
    { paths: ["/spec/replicas"], target: { kind: "Deployment|StatefulSet" } },
    { paths: ["/metadata/annotations/example.com~1note"] },
    { paths: ["/spec/replicas", "/spec/template/spec/containers/0/image"], target: { group: "apps", labelSelector: "hpa=on" } },
    { paths: ["/data"], target: { kind: "Deploy" } },
  ])!;
  assert.deepEqual(ignored(deploy), ["/spec/replicas", "/metadata/annotations/example.com~1note", "/spec/template/spec/containers/0/image"]);
  assert.deepEqual(ignored(sts), ["/spec/replicas", "/metadata/annotations/example.com~1note"]);
  assert.deepEqual(ignored(cm), ["/metadata/annotations/example.com~1note"], "a rule without target applies to every object; kind is anchored");
});

test("compileIgnoreRules: a bad rule is named with its index and field", () => {
  const bad: Array<[Parameters<typeof compileIgnoreRules>[0], string]> = [
    [[{ paths: ["/ok"] }, { paths: ["/ok", "spec/replicas"] }], `spec.ignore[1].paths[1]: "spec/replicas" is not a JSON pointer: it must be empty or start with "/"`],
    [[{ paths: ["/a~2"] }], `spec.ignore[0].paths[0]: "/a~2" is not a JSON pointer: "~" at offset 2 must be followed by 0 or 1 (write "/" as ~1 and "~" as ~0)`],
    [[{ paths: ["/spec"], target: { kind: "Deployment(" } }], `spec.ignore[0].target.kind: "Deployment(": invalid regular expression: Unterminated group`],
    [[{ paths: ["/spec"], target: { labelSelector: "app in web" } }], `spec.ignore[0].target.labelSelector: "app in web": unable to parse requirement: found 'web', expected: '('`],
    [[{ paths: ["/spec"], target: { annotationSelector: "!" } }], `spec.ignore[0].target.annotationSelector: "!": unable to parse requirement: found 'end of string', expected: !, identifier, or 'end of string'`],
  ];
  for (const [rules, message] of bad) {
    assert.throws(() => compileIgnoreRules(rules), (e: Error) => e instanceof IgnoreRuleError && e.message === message, message);
  }
});
