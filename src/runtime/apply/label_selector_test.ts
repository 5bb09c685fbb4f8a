import assert from "node:assert/strict";
import { test } from "node:test";
import { LabelSelectorError, parseLabelSelector } from "./label_selector.ts";

const labels = { app: "web", tier: "front", "example.com/team": "a-b", n: "5", empty: "" };
const m = (s: string, l: Record<string, string> = labels) => parseLabelSelector(s)(l);

test("parseLabelSelector: equality, sets, existence, numbers", () => {
  assert.equal(m(""), true);
  assert.equal(m("  "), true);
  assert.equal(m("app=web"), true);
  assert.equal(m("app==web"), true);
  assert.equal(m("app = web , tier=front"), true);
  assert.equal(m("app=api"), false);
  assert.equal(m("app!=api"), true);
  assert.equal(m("missing!=x"), true, "!= matches a missing key");
  assert.equal(m("example.com/team=a-b"), true);
  assert.equal(m("tier in (front, back)"), true);
  assert.equal(m("tier notin (front)"), false);
  assert.equal(m("missing notin (x)"), true);
  assert.equal(m("app"), true);
  assert.equal(m("!app"), false);
  assert.equal(m("!missing,app"), true);
  assert.equal(m("empty="), true);
  assert.equal(m("app="), false);
  assert.equal(m("empty in (,x)"), true);
  assert.equal(m("n>4,n<6"), true);
  assert.equal(m("n>5"), false);
  assert.equal(m("app>1"), false, "a non-numeric label never matches Gt");
  assert.equal(parseLabelSelector("app")(undefined), false);
  assert.equal(parseLabelSelector("!app")(undefined), true);
});

test("parseLabelSelector: bad selectors say what is wrong", () => {
  const bad: Array<[string, RegExp]> = [
    ["app=web,", /found 'end of string', expected: !, identifier, or 'end of string'/],
    ["app web", /found 'web', expected: =, !=, ==, in, notin, >, </],
    ["app=web tier=front", /found 'tier', expected: ',' or 'end of string'/],
    ["=web", /found '=', expected: !, identifier/],
    ["app in web", /found 'web', expected: '\('/],
    ["app in ()", /values set can't be empty/],
    ["app in (a b)", /found 'b', expected: ',' or '\)'/],
    ["n>x", /must be an integer/],
    ["!app=web", /found '=', expected: ',' or 'end of string'/],
    ["-app=web", /invalid label key "-app"/],
    ["Example.com/app=web", /invalid label key "Example.com\/app": the prefix must be a DNS subdomain/],
    [`app=${"x".repeat(64)}`, /invalid label value/],
    ["app=a b", /found 'b'/],
    ["app=(x)", /found '\(', expected: identifier/],
  ];
  for (const [s, re] of bad) assert.throws(() => parseLabelSelector(s), (e: Error) => e instanceof LabelSelectorError && re.test(e.message), s);
});
