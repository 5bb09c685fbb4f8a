import assert from "node:assert/strict";
import { test } from "node:test";
import { chartTemplateSpec } from "./chart_template_flags.ts";

test("chartTemplateSpec: chart, version, sourceRef and strategy as HelmChart holds them", () => {
  assert.deepEqual(chartTemplateSpec({ source: { kind: "HelmRepository", name: "p" }, chart: "podinfo", chartVersion: "6.x", reconcileStrategy: "Revision" }), {
    chart: "podinfo",
    version: "6.x",
    sourceRef: { kind: "HelmRepository", name: "p" },
    reconcileStrategy: "Revision",
  });
  assert.deepEqual(chartTemplateSpec({ source: { kind: "GitRepository", name: "g" }, chart: "./c" }), { chart: "./c", sourceRef: { kind: "GitRepository", name: "g" } });
});

test("chartTemplateSpec: a missing --source or --chart, and a version for a Git chart, are errors", () => {
  assert.throws(() => chartTemplateSpec({ chart: "c" }), /--source Kind\/name with --chart/);
  assert.throws(() => chartTemplateSpec({ source: { kind: "Bucket", name: "b" } }), /--source needs --chart/);
  assert.throws(() => chartTemplateSpec({ source: { kind: "Bucket", name: "b" }, chart: "c", chartVersion: "1.x" }), /--chart-version is for HelmRepository sources/);
});
