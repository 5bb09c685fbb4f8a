import assert from "node:assert/strict";
import { test } from "node:test";
import { Command } from "commander";
import { buildCommand } from "./build_command.ts";
import { type Completion, complete } from "./completion_candidates.ts";
import { completeCommand, completionCommand, formatCompletion } from "./completion_command.ts";
import type { CompletionConnection, CompletionLookup, NamedKind } from "./completion_lookup.ts";
import { controllersCommand } from "./controllers_command.ts";
import { createCommand } from "./create_command.ts";
import { eventsCommand } from "./events_command.ts";
import { getCommand } from "./get_command.ts";
import { logsCommand } from "./logs_command.ts";
import { reconcileCommand } from "./reconcile_command.ts";
import { suspendCommand } from "./suspend_command.ts";
import { traceCommand } from "./trace_command.ts";

const root = () => {
  const r = new Command("sluice");
  for (const c of [getCommand(), reconcileCommand(), suspendCommand(), eventsCommand(), traceCommand(), buildCommand(), createCommand(), controllersCommand(), completionCommand(), logsCommand()]) r.addCommand(c);
  return r.addCommand(completeCommand(), { hidden: true });
};

/** A pretend cluster: names by kind, in namespace "apps" or "flux-system"; records what was asked. */
function fakeLookup(asked: Array<{ kind?: NamedKind; conn: CompletionConnection }> = []): CompletionLookup {
  const objects: Record<string, Record<string, string[]>> = {
    "flux-system": { Kustomization: ["flux-system", "infra"], GitRepository: ["flux-system"] },
    apps: { Kustomization: ["podinfo", "redis"], Deployment: ["web"] },
  };
  return {
    names: async (kind, conn) => {
      asked.push({ kind, conn });
      const spaces = conn.allNamespaces ? Object.keys(objects) : [conn.namespace];
      return spaces.flatMap((ns) => objects[ns]?.[kind.kind] ?? []);
    },
    namespaces: async () => Object.keys(objects),
    contexts: async () => ["dev", "prod"],
  };
}

async function values(words: string[], lookup = fakeLookup()): Promise<string[]> {
  return (await complete(root(), words, lookup)).candidates.map((c) => c.value);
}

test("commands: visible subcommands by prefix, the hidden __complete never", async () => {
  assert.deepEqual(await values(["c"]), ["create", "controllers", "completion"]);
  assert.ok(!(await values([""])).includes("__complete"));
  assert.deepEqual(await values(["completion", ""]), ["bash", "zsh", "fish", "powershell"]);
  assert.deepEqual(await values(["build", ""]), ["kustomization"]);
});

test("kind words after a verb, filtered by what the verb works on", async () => {
  assert.deepEqual(await values(["get", "k"]), ["kustomization", "kustomizations", "ks"]);
  assert.ok((await values(["get", ""])).includes("all"));
  assert.ok(!(await values(["reconcile", ""])).includes("all"));
  assert.ok(!(await values(["reconcile", ""])).includes("alert"), "alerts are not reconciled");
  assert.deepEqual(await values(["reconcile", "source", ""]), ["git", "oci", "helm", "chart", "bucket"]);
  assert.deepEqual(await values(["get", "sources", ""]), ["all", "git", "oci", "helm", "chart", "bucket", "external"]);
});

test("object names come from the namespace the words name", async () => {
  const asked: Array<{ kind?: NamedKind; conn: CompletionConnection }> = [];
  assert.deepEqual(await values(["get", "ks", ""], fakeLookup(asked)), ["flux-system", "infra"]);
  assert.deepEqual(await values(["get", "-n", "apps", "ks", "r"], fakeLookup(asked)), ["redis"]);
  assert.deepEqual(await values(["get", "ks", "--namespace=apps", ""], fakeLookup(asked)), ["podinfo", "redis"]);
  assert.deepEqual(await values(["get", "-A", "ks", ""]), ["flux-system", "infra", "podinfo", "redis"]);
  assert.deepEqual(await values(["reconcile", "source", "git", ""]), ["flux-system"]);
  await values(["get", "ks", "--context", "prod", "--kubeconfig", "/k", ""], fakeLookup(asked));
  assert.deepEqual(asked.at(-1), {
    kind: { kind: "Kustomization", apiVersion: "kustomize.toolkit.fluxcd.io/v1" },
    conn: { kubeconfig: "/k", context: "prod", namespace: "flux-system", allNamespaces: false },
  });
});

test("one name for get, several for suspend, none already given", async () => {
  assert.deepEqual(await values(["get", "ks", "infra", ""]), []);
  assert.deepEqual(await values(["suspend", "ks", "infra", ""]), ["flux-system"]);
  assert.deepEqual(await values(["build", "ks", ""]), ["flux-system", "infra"]);
  assert.deepEqual(await values(["create", "kustomization", ""]), [], "create names a new object");
  assert.deepEqual(await values(["get", "nonsense", ""]), []);
});

test("flag names and flag values", async () => {
  assert.deepEqual(await values(["get", "--s"]), ["--status-selector", "--show-source"]);
  assert.ok((await values(["get", "-"])).includes("-n"));
  assert.ok(!(await values(["get", "--"])).includes("-n"));
  assert.deepEqual(await values(["get", "-o", ""]), ["yaml", "json"]);
  assert.deepEqual(await values(["get", "--output=j"]), ["--output=json"]);
  assert.deepEqual(await values(["get", "--status-selector", "ready=f"]), ["ready=false"]);
  assert.deepEqual(await values(["controllers", "--log-level", "d"]), ["debug"]);
  assert.deepEqual(await values(["get", "-n", ""]), ["apps", "flux-system"]);
  assert.deepEqual(await values(["get", "--context", ""]), ["dev", "prod"]);
  const path = await complete(root(), ["get", "--kubeconfig", "/tm"], fakeLookup());
  assert.deepEqual(path, { candidates: [], files: true });
});

test("events --for: the kind with no space after it, then its names", async () => {
  const kinds = await complete(root(), ["events", "--for", "Ku"], fakeLookup());
  assert.deepEqual(kinds, { candidates: [{ value: "Kustomization/" }], noSpace: true });
  assert.deepEqual(await values(["events", "-n", "apps", "--for", "ks/"]), ["ks/podinfo", "ks/redis"]);
});

test("trace: kind/name, kind then names, or --kind", async () => {
  assert.deepEqual(await values(["trace", "-n", "apps", "deploy/"]), ["deploy/web"]);
  assert.deepEqual(await values(["trace", "-n", "apps", "deployment", ""]), ["web"]);
  assert.deepEqual(await values(["trace", "-n", "apps", "--kind", "Deployment", ""]), ["web"]);
});

test("trace: the first word offers the kinds trace knows, singular and short; --kind offers their Kind names", async () => {
  const kinds = await values(["trace", ""]);
  for (const k of ["deployment", "deploy", "cm", "kustomization", "ks", "helmrelease", "hr", "gitrepository"]) assert.ok(kinds.includes(k), `${k} in ${kinds.join(" ")}`);
  for (const plural of ["deployments", "kustomizations", "gitrepositories", "ingresses"]) assert.ok(!kinds.includes(plural), plural);
  assert.deepEqual(await values(["trace", "dep"]), ["deployment", "deploy"]);
  const described = await complete(root(), ["trace", "hr"], fakeLookup());
  assert.deepEqual(described.candidates, [{ value: "hr", description: "HelmRelease" }]);
  assert.deepEqual(await values(["trace", "--kind", "Dep"]), ["Deployment"]);
  assert.deepEqual(await values(["trace", "--kind", "Kus"]), ["Kustomization"]);
});

test("logs --level offers the levels", async () => {
  assert.deepEqual(await values(["logs", "--level", ""]), ["debug", "info", "warn", "error"]);
  assert.deepEqual(await values(["logs", "--level=e"]), ["--level=error"]);
});

test("the scripts' format: value, tab, description; then the directive", () => {
  const c: Completion = { candidates: [{ value: "ks", description: "Kustomization\nobjects" }, { value: "x" }], noSpace: true, files: true };
  assert.equal(formatCompletion(c), "ks\tKustomization objects\nx\n:3\n");
  assert.equal(formatCompletion({ candidates: [] }), ":0\n");
});
