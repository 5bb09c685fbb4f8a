import assert from "node:assert/strict";
import { test } from "node:test";
import { Command } from "commander";
import { buildCommand } from "./build_command.ts";
import { getCommand } from "./get_command.ts";
import { walkWords } from "./completion_words.ts";

const root = () => new Command("sluice").addCommand(getCommand()).addCommand(buildCommand());

test("subcommands and their aliases lead down the tree; other words are arguments", () => {
  const w = walkWords(root(), ["build", "ks", "apps", ""]);
  assert.deepEqual(w.path, ["build", "kustomization"]);
  assert.deepEqual(w.args, ["apps"]);
  assert.equal(w.current, "");
  assert.deepEqual(walkWords(root(), ["get", "ks", "x"]).args, ["ks"]);
});

test("flag values are recorded, in every spelling, and not taken for arguments", () => {
  const w = walkWords(root(), ["get", "-n", "apps", "ks", "--context=kind", "-A", "--kubeconfig", "/k", ""]);
  assert.deepEqual(w.args, ["ks"]);
  assert.deepEqual(w.flags, { namespace: "apps", context: "kind", allNamespaces: true, kubeconfig: "/k" });
  assert.equal(walkWords(root(), ["get", "-napps", "ks", ""]).flags.namespace, "apps");
  assert.deepEqual(walkWords(root(), ["get", "-wA", ""]).flags, { watch: true, allNamespaces: true });
  assert.equal(walkWords(root(), ["get", "--no-header", ""]).flags.header, false);
});

test("the word under the cursor may be a flag's value, separate or after =", () => {
  const sep = walkWords(root(), ["get", "ks", "-o", "y"]);
  assert.equal(sep.valueFor?.long, "--output");
  assert.equal(sep.current, "y");
  assert.equal(sep.currentPrefix, "");
  const eq = walkWords(root(), ["get", "--output=js"]);
  assert.equal(eq.valueFor?.long, "--output");
  assert.equal(eq.current, "js");
  assert.equal(eq.currentPrefix, "--output=");
  assert.equal(walkWords(root(), ["get", "--watch=x"]).valueFor, undefined, "a switch takes no value");
});

test("after -- every word is an argument", () => {
  const w = walkWords(root(), ["get", "--", "-n", "-"]);
  assert.equal(w.positionalOnly, true);
  assert.deepEqual(w.args, ["-n"]);
  assert.equal(w.valueFor, undefined);
});

test("no words at all is the root with an empty word", () => {
  const w = walkWords(root(), []);
  assert.equal(w.command.name(), "sluice");
  assert.equal(w.current, "");
});
