import assert from "node:assert/strict";
import { test } from "node:test";
import {
  formatJsonPointer, JsonPointerError, parseJsonPointer, removeAtPointer, setAtPointer, valueAtPointer, withoutPointers,
} from "./json_pointer.ts";

test("parseJsonPointer: tokens, escapes, the root", () => {
  assert.deepEqual(parseJsonPointer(""), []);
  assert.deepEqual(parseJsonPointer("/spec/replicas"), ["spec", "replicas"]);
  assert.deepEqual(parseJsonPointer("/metadata/annotations/foo~1bar"), ["metadata", "annotations", "foo/bar"]);
  assert.deepEqual(parseJsonPointer("/a~0b/~01"), ["a~b", "~1"]);
  assert.deepEqual(parseJsonPointer("/"), [""]);
  assert.deepEqual(parseJsonPointer("/a//b"), ["a", "", "b"]);
  assert.equal(formatJsonPointer(["metadata", "annotations", "foo/bar", "a~b"]), "/metadata/annotations/foo~1bar/a~0b");
});

test("parseJsonPointer: malformed pointers say why", () => {
  assert.throws(() => parseJsonPointer("spec/replicas"), new JsonPointerError(`"spec/replicas" is not a JSON pointer: it must be empty or start with "/"`));
  assert.throws(() => parseJsonPointer("/a~2b"), /"\/a~2b" is not a JSON pointer: "~" at offset 2 must be followed by 0 or 1/);
  assert.throws(() => parseJsonPointer("/a~"), /must be followed by 0 or 1/);
});

test("valueAtPointer: objects, arrays, missing steps", () => {
  const doc = { spec: { replicas: 0, containers: [{ name: "a" }, { name: "b" }], empty: null } };
  assert.deepEqual(valueAtPointer(doc, ["spec", "replicas"]), { found: true, value: 0 });
  assert.deepEqual(valueAtPointer(doc, ["spec", "containers", "1", "name"]), { found: true, value: "b" });
  assert.deepEqual(valueAtPointer(doc, ["spec", "empty"]), { found: true, value: null });
  assert.deepEqual(valueAtPointer(doc, []), { found: true, value: doc });
  for (const p of [["spec", "nope"], ["spec", "containers", "2"], ["spec", "containers", "01"], ["spec", "containers", "-"], ["spec", "replicas", "x"]]) {
    assert.deepEqual(valueAtPointer(doc, p), { found: false }, p.join("/"));
  }
});

test("removeAtPointer and setAtPointer work in place", () => {
  const doc: Record<string, unknown> = { spec: { replicas: 3, list: [1, 2, 3] } };
  assert.equal(removeAtPointer(doc, ["spec", "replicas"]), true);
  assert.equal(removeAtPointer(doc, ["spec", "replicas"]), false);
  assert.equal(removeAtPointer(doc, ["spec", "list", "1"]), true);
  assert.deepEqual(doc, { spec: { list: [1, 3] } });
  assert.equal(removeAtPointer(doc, []), false);

  assert.equal(setAtPointer(doc, ["spec", "replicas"], 5), true);
  assert.equal(setAtPointer(doc, ["metadata", "annotations", "a/b"], "x"), true, "missing objects are created");
  assert.equal(setAtPointer(doc, ["spec", "list", "0"], 9), true);
  assert.equal(setAtPointer(doc, ["spec", "list", "2"], 9), false, "past the end");
  assert.equal(setAtPointer(doc, ["spec", "replicas", "x"], 1), false, "through a scalar");
  assert.equal(setAtPointer(doc, [], 1), false);
  assert.deepEqual(doc, { spec: { replicas: 5, list: [9, 3] }, metadata: { annotations: { "a/b": "x" } } });
});

test("withoutPointers copies, and removes array items from the highest index down", () => {
  const doc = { spec: { replicas: 3, list: ["a", "b", "c", "d"], keep: true } };
  const out = withoutPointers(doc, [["spec", "list", "1"], ["spec", "replicas"], ["spec", "list", "2"], ["nope"]]);
  assert.deepEqual(out, { spec: { list: ["a", "d"], keep: true } });
  assert.deepEqual(doc.spec.list, ["a", "b", "c", "d"], "the input is left alone");
  assert.deepEqual(withoutPointers(doc, [["spec", "list", "10"], ["spec", "list", "2"]]).spec.list, ["a", "b", "d"]);
});
