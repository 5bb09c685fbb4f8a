import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTagVersion, pickSemverTag, SemverRangeError } from "./semver_tag.ts";

const tags = ["v1.0.0", "v1.1.0", "v1.2.0-rc.1", "1.1.5", "v2.0.0", "v2.1.0-beta.1", "latest", "v1.2", "v01.03.04"];

test("parseTagVersion accepts a v prefix and leading zeros, and needs three parts", () => {
  assert.equal(parseTagVersion("v01.03.04")?.version, "1.3.4");
  assert.equal(parseTagVersion("v1.2"), undefined);
  assert.equal(parseTagVersion("latest"), undefined);
  assert.equal(parseTagVersion("v2025.02.03-rc.1")?.version, "2025.2.3-rc.1");
});

test("pickSemverTag follows Masterminds ranges", () => {
  const pick = (r: string) => pickSemverTag(r, tags)?.tag;
  assert.equal(pick("*"), "v2.0.0");
  assert.equal(pick("1.x"), "v01.03.04");
  assert.equal(pick("~1.1"), "1.1.5");
  assert.equal(pick(">=1.0.0, <1.2.0"), "1.1.5");
  assert.equal(pick(">= 1.0.0 < 1.1.0 || ^2"), "v2.0.0");
  assert.equal(pick(">=1.2.0-0 <1.3.0"), "v1.2.0-rc.1");
  assert.equal(pick(">=2.0.0-0"), "v2.1.0-beta.1");
  assert.equal(pick("^1.0, != 1.3.4"), "v1.1.0".replace("v1.1.0", "1.1.5"));
  assert.equal(pick(">=3.0.0"), undefined);
  assert.throws(() => pick("not a range"), SemverRangeError);
});
