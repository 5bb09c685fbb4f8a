import assert from "node:assert/strict";
import { test } from "node:test";
import { hasLinearEngine, LinearRegExpError, linearRegExp } from "./linear_regexp.ts";

test("linearRegExp: this Node has V8's linear-time engine", () => {
  assert.equal(hasLinearEngine(), true);
  assert.match(linearRegExp("x").flags, /l/);
});

test("linearRegExp: ordinary patterns match; a catastrophic one still ends at once", () => {
  const re = linearRegExp("^(?:Deploy.*|StatefulSet)$");
  assert.equal(re.test("Deployment"), true);
  assert.equal(re.test("DaemonSet"), false);
  const started = Date.now();
  assert.equal(linearRegExp("^(?:(a+)+)$").test(`${"a".repeat(5000)}b`), false);
  assert.ok(Date.now() - started < 1000);
});

test("linearRegExp: invalid and unsupported patterns say why", () => {
  assert.throws(() => linearRegExp("("), (e: Error) => e instanceof LinearRegExpError && /^invalid regular expression: Unterminated group$/.test(e.message));
  assert.throws(() => linearRegExp("(a)\\1"), /backreferences, lookarounds, inline flags and huge repetitions cannot be matched in linear time/);
  assert.throws(() => linearRegExp("(?=a)a"), LinearRegExpError);
});
