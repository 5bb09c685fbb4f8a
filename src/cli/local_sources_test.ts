import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { parseLocalSources, sourceKey } from "./local_sources.ts";

test("--local-sources: repeatable and comma lists, kinds case-insensitive, directories made absolute", () => {
  let s = parseLocalSources("GitRepository/flux-system/fleet=./fleet", undefined);
  s = parseLocalSources("gitrepository/apps/web=/src/web,OCIRepository/apps/charts=charts", s);
  assert.deepEqual([...s], [
    [sourceKey("GitRepository", "flux-system", "fleet"), resolve("fleet")],
    [sourceKey("GitRepository", "apps", "web"), "/src/web"],
    [sourceKey("OCIRepository", "apps", "charts"), resolve("charts")],
  ]);
});

test("--local-sources: malformed entries and unknown kinds are one-line errors", () => {
  assert.throws(() => parseLocalSources("GitRepository/fleet=./x", undefined), /is not Kind\/namespace\/name=dir/);
  assert.throws(() => parseLocalSources("GitRepository/ns/fleet", undefined), /is not Kind\/namespace\/name=dir/);
  assert.throws(() => parseLocalSources("GitRepository/ns/fleet=", undefined), /is not Kind\/namespace\/name=dir/);
  assert.throws(() => parseLocalSources("HelmRepository/ns/x=./x", undefined), /"HelmRepository" is not a source kind/);
});
