import assert from "node:assert/strict";
import { test } from "node:test";
import { parse, stringify } from "yaml";
import type { KubeObject } from "../api/meta.ts";
import { envsubst } from "./envsubst.ts";
import { substituteObject } from "./substitute_object.ts";

const vars = {
  app: "podinfo-1",
  tag: "6.7.1",
  count: "3",
  flag: "true",
  yes: "yes",
  spaced: "a b",
  colon: "x: y",
  date: "2024-01-02",
  empty: "",
  hash: "sha256:abc",
};

/** What Flux does: substitute on the YAML text and parse it again. */
const reference = (obj: unknown, strict = true) => parse(envsubst(stringify(obj), vars, { strict }));

const objects: Array<Record<string, unknown>> = [
  { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "${app}", labels: { app: "${app}" } }, spec: { replicas: 0, template: { spec: { containers: [{ name: "app", image: "ghcr.io/x/${app}:${tag}" }] } } } },
  { kind: "X", metadata: { name: "a" }, spec: { replicas: "${count}", enabled: "${flag}", said: "${yes}", on: "${date}" } },
  { kind: "X", metadata: { name: "a" }, data: { spaced: "${spaced}", colon: "${colon}", empty: "${empty}", digest: "img@${hash}" } },
  { kind: "X", metadata: { name: "a" }, data: { literal: "$${app}", bare: "$app", price: "$5", mixed: "v${tag}-${app}" } },
  { kind: "X", metadata: { name: "a" }, data: { script: "echo ${app}\nexit 0\n", default: "${missing:=fallback}", list: ["${app}", 1, true, null] } },
  { kind: "X", metadata: { name: "a", annotations: { "${app}/key": "v" } } },
  { kind: "X", metadata: { name: "a" }, data: { open: "${app", close: "}" } },
];

test("substituteObject gives what substitution on the YAML text gives", () => {
  for (const obj of objects) {
    let want: unknown;
    try {
      want = reference(obj);
    } catch (err) {
      assert.throws(() => substituteObject(obj as KubeObject, vars, { strict: true }), { message: (err as Error).message }, JSON.stringify(obj));
      continue;
    }
    assert.deepEqual(substituteObject(obj as KubeObject, vars, { strict: true }), want, JSON.stringify(obj));
  }
});

test("a number or boolean from a variable is typed as YAML types it", () => {
  const out = substituteObject(objects[1] as KubeObject, vars, { strict: true }) as unknown as { spec: Record<string, unknown> };
  assert.equal(out.spec.replicas, 3);
  assert.equal(out.spec.enabled, true);
});

test("strict mode: the missing variable is named, as on the YAML path", () => {
  const obj = { kind: "X", metadata: { name: "${app}" }, data: { a: "${nope}" } } as unknown as KubeObject;
  assert.throws(() => substituteObject(obj, vars, { strict: true }), /variable not set \(strict mode\): "nope"/);
  assert.deepEqual(substituteObject(obj, vars, { strict: false }), reference(obj, false));
});
