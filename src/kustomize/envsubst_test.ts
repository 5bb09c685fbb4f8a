import assert from "node:assert/strict";
import { test } from "node:test";
import { envsubst } from "./envsubst.ts";

const vars = { app: "podinfo", env: "Production", empty: "", path: "/usr/local/bin/tool.tar.gz" };
const s = (t: string, strict = true) => envsubst(t, vars, { strict });

test("plain, default and length forms", () => {
  assert.equal(s("name: ${app}-${env}"), "name: podinfo-Production");
  assert.equal(s("${missing:=fallback} ${missing-dash} ${empty:-x} ${empty-y}|"), "fallback dash x |");
  assert.equal(s("${missing:-${app}}"), "podinfo");
  assert.equal(s("${#app}"), "7");
  assert.equal(s("$app and $${app} stay"), "$app and ${app} stay");
});

test("case, substring, strip and replace forms", () => {
  assert.equal(s("${env^^} ${env,,} ${app^} ${env,}"), "PRODUCTION production Podinfo production");
  assert.equal(s("${app:3} ${app:0:3} ${app:-3}"), "info pod podinfo");
  assert.equal(s("${path#*/} ${path##*/} ${path%.*} ${path%%.*}"), "usr/local/bin/tool.tar.gz tool.tar.gz /usr/local/bin/tool.tar /usr/local/bin/tool");
  assert.equal(s("${app/o/0} ${app//o/0} ${app/#pod/Pod} ${app/%info/INFO}"), "p0dinfo p0dinf0 Podinfo podINFO");
});

test("strict mode names the missing variable; non-strict yields empty", () => {
  assert.throws(() => s("x: ${nope}"), /variable not set \(strict mode\): "nope"/);
  assert.equal(s("x: ${nope}", false), "x: ");
  assert.throws(() => s("${app:+x}"), /unsupported substitution/);
  assert.throws(() => s("${app"), /unclosed expression/);
});
