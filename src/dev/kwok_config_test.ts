import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAllDocuments } from "yaml";
import { renderKwokConfig } from "./kwok_config.ts";

const stage = (name: string) => `apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: ${name}\nspec: {}\n`;

test("renderKwokConfig puts a KwokConfiguration first and every stage document after it", () => {
  const text = renderKwokConfig([stage("a"), `# comment\n---\n${stage("b")}---\n${stage("c")}`], "127.0.0.1:1234");
  const docs = parseAllDocuments(text).map((d) => d.toJS());
  assert.deepEqual(docs.map((d) => d.kind), ["KwokConfiguration", "Stage", "Stage", "Stage"]);
  assert.deepEqual(docs.slice(1).map((d) => d.metadata.name), ["a", "b", "c"]);
  const options = docs[0].options;
  assert.equal(docs[0].apiVersion, "config.kwok.x-k8s.io/v1alpha1");
  assert.equal(options.serverAddress, "127.0.0.1:1234");
  assert.equal(options.manageNodesWithAnnotationSelector, "kwok.x-k8s.io/node=fake");
  assert.equal(options.enableDebuggingHandlers, true, "kwok serves pod logs only with its debugging handlers on");
  for (const key of ["podPlayStageParallelism", "nodePlayStageParallelism", "nodeLeaseParallelism", "podsOnNodeSyncParallelism"]) {
    assert.ok(options[key] > 0, `${key} must be above 0 or kwok exits`);
  }
});

test("renderKwokConfig leaves the server address out when not given", () => {
  const [config] = parseAllDocuments(renderKwokConfig([stage("a")])).map((d) => d.toJS());
  assert.equal(config.options.serverAddress, undefined);
});
