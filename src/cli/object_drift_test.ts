import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/meta.ts";
import { describeDrift } from "./object_drift.ts";

const cm = (data: Record<string, string>, labels?: Record<string, string>): KubeObject =>
  ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", resourceVersion: "1", labels }, data }) as KubeObject;

test("only changed fields are listed, with the live and the applied value", () => {
  assert.deepEqual(describeDrift(cm({ a: "1", b: "2" }), cm({ a: "1", b: "3" })), ["data.b", '  - "2"', '  + "3"']);
  assert.deepEqual(describeDrift(cm({ a: "1" }, { x: "y" }), cm({ a: "1" })), ["metadata.labels.x", '  - "y"', "  + <none>"]);
  assert.deepEqual(describeDrift(cm({ a: "1" }), cm({ a: "1" })), []);
});

test("Secret values are masked, but a change still shows", () => {
  const secret = (v: string): KubeObject => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { token: v } }) as KubeObject;
  assert.deepEqual(describeDrift(secret("b2xk"), secret("bmV3")), ["data.token", "  *** (value changed)"]);
  const added = describeDrift(secret("b2xk"), { ...secret("b2xk"), data: { token: "b2xk", extra: "eA==" } } as KubeObject);
  assert.deepEqual(added, ["data.extra", "  - <none>", "  + ***"]);
});
