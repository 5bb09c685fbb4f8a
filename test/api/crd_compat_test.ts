import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { toCrd } from "../../src/api/crd.ts";
import { allKinds } from "../../src/api/kinds.ts";
import { type CrdDifference, diffCrds } from "../support/crd_diff.ts";
import { type Crd, loadFluxCrds } from "../support/flux_crds.ts";

interface AllowEntry {
  crd: string;
  path: string;
  attribute: string;
  reason: string;
}

const allowlistPath = join(import.meta.dirname, "crd_compat_allowlist.yaml");

test("our CRDs match Flux's field by field, but for the allowlisted differences", async () => {
  const flux = await loadFluxCrds();
  const ours = new Map(allKinds.map((k) => [`${k.plural}.${k.group}`, toCrd(k) as unknown as Crd]));
  const allow = (parse(await readFile(allowlistPath, "utf8")) ?? []) as AllowEntry[];
  for (const a of allow) assert.ok(a.reason?.trim(), `allowlist entry ${a.crd} ${a.path} ${a.attribute} needs a reason`);
  const allowed = (d: CrdDifference) =>
    allow.some((a) => a.crd === d.crd && a.path === d.path && a.attribute === d.attribute);
  const names = new Set([...flux.keys(), ...ours.keys()]);
  const differences = [...names].flatMap((n) => diffCrds(n, flux.get(n), ours.get(n))).filter((d) => !allowed(d));
  const report = differences
    .map((d) => `${d.crd} ${d.path} ${d.attribute}: flux=${JSON.stringify(d.flux)} ours=${JSON.stringify(d.ours)}`)
    .join("\n");
  assert.equal(differences.length, 0, `CRDs differ from Flux's:\n${report}`);
  const unused = allow.filter((a) =>
    ![...names].some((n) => diffCrds(n, flux.get(n), ours.get(n)).some((d) => d.crd === a.crd && d.path === a.path && d.attribute === a.attribute)),
  );
  assert.deepEqual(unused, [], "allowlist entries that no longer match a difference");
});
