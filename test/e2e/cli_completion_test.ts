import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freshNamespace } from "../support/cluster.ts";
import { cliEnv, gitRepository, kustomization, sluice, testApi } from "./cli_support.ts";

const api = testApi();
const ns = await freshNamespace("complete");
const other = await freshNamespace("complete-other");
const binDir = join(import.meta.dirname, "..", "..", "bin");
/** The CLI as a shell finds it: `sluice` on PATH, its default namespace the test's. */
const env = { ...cliEnv(), FLUX_SYSTEM_NAMESPACE: ns, PATH: `${binDir}:${process.env.PATH}` };
let dir: string;
let silent: Server;
const held: Socket[] = [];

before(async () => {
  for (const name of ["alpha", "beta"]) await api.apply(kustomization(ns, name), { fieldManager: "test" });
  await api.apply(kustomization(other, "gamma"), { fieldManager: "test" });
  await api.apply(gitRepository(ns, "repo"), { fieldManager: "test" });
  dir = await mkdtemp(join(tmpdir(), "sluice-completion-"));
  // A server that takes connections and never answers: the cluster that times out.
  silent = createServer((s) => held.push(s));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
});

after(async () => {
  for (const s of held) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
  await rm(dir, { recursive: true, force: true });
  await api.client.close();
});

async function complete(words: string[], extraEnv: NodeJS.ProcessEnv = env) {
  const r = await sluice(["__complete", ...words], { env: extraEnv });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "", "nothing on the terminal");
  const lines = r.stdout.trimEnd().split("\n");
  return { values: lines.slice(0, -1).map((l) => l.split("\t")[0]), directive: lines.at(-1) };
}

async function kubeconfigFor(server: string): Promise<string> {
  const path = join(dir, `${server.replace(/\W/g, "_")}.yaml`);
  await writeFile(
    path,
    [
      "apiVersion: v1",
      "kind: Config",
      "current-context: x",
      "contexts: [{name: x, context: {cluster: x, user: x}}]",
      `clusters: [{name: x, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]`,
      "users: [{name: x, user: {token: t}}]",
    ].join("\n"),
  );
  return path;
}

test("__complete get ks lists the Kustomizations of the default namespace, or of -n's", async () => {
  assert.deepEqual(await complete(["get", "ks", ""]), { values: ["alpha", "beta"], directive: ":0" });
  assert.deepEqual((await complete(["get", "ks", "-n", other, ""])).values, ["gamma"]);
  assert.deepEqual((await complete(["get", "--namespace", other, "kustomizations", ""])).values, ["gamma"]);
  const all = (await complete(["get", "ks", "-A", ""])).values;
  assert.ok(["alpha", "beta", "gamma"].every((n) => all.includes(n)), all.join(" "));
});

test("the word typed so far filters the names", async () => {
  assert.deepEqual((await complete(["get", "ks", "al"])).values, ["alpha"]);
  assert.deepEqual((await complete(["suspend", "ks", "alpha", ""])).values, ["beta"]);
  assert.deepEqual((await complete(["reconcile", "source", "git", "r"])).values, ["repo"]);
  assert.deepEqual((await complete(["events", "--for", "Kustomization/b"])).values, ["Kustomization/beta"]);
  // Other runs against a shared cluster may have namespaces of the same prefix.
  const namespaces = (await complete(["get", "-n", "complete-oth"])).values;
  assert.ok(namespaces.includes(other) && namespaces.every((n) => n.startsWith("complete-oth")), namespaces.join(" "));
});

test("an unreachable or silent cluster gives no candidates, exit 0, and nothing on stderr", async () => {
  const refused = await kubeconfigFor("https://127.0.0.1:1");
  assert.deepEqual(await complete(["get", "ks", "--kubeconfig", refused, ""]), { values: [], directive: ":0" });
  const port = (silent.address() as { port: number }).port;
  const hanging = await kubeconfigFor(`https://127.0.0.1:${port}`);
  const started = Date.now();
  assert.deepEqual(await complete(["get", "ks", "--kubeconfig", hanging, ""]), { values: [], directive: ":0" });
  assert.ok(Date.now() - started < 6000, `gave up after ${Date.now() - started} ms`);
  assert.deepEqual(await complete(["get", "ks", ""], { ...env, KUBECONFIG: join(dir, "missing"), HOME: dir }), { values: [], directive: ":0" });
});

/** Runs a real shell; fish keeps its config and history under the test's directory, not $HOME. */
function shell(program: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const shellEnv = { ...env, XDG_CONFIG_HOME: join(dir, "config"), XDG_DATA_HOME: join(dir, "data") };
    const child = spawn(program, args, { env: shellEnv, stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function bash(script: string) {
  return shell("bash", ["-c", script]);
}

/** What bash's completion function offers for the words, the cursor on the last. */
async function bashOffers(words: string[]): Promise<string[]> {
  const quoted = words.map((w) => `'${w}'`).join(" ");
  const r = await bash(`source <(sluice completion bash); COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _sluice; printf '%s\\n' "\${COMPREPLY[@]}"`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  return r.stdout.split("\n").filter(Boolean);
}

test("bash: the sourced script completes commands, kinds, names and --flag=value", async () => {
  assert.deepEqual(await bashOffers(["sluice", "get", "k"]), ["kustomization", "kustomizations", "ks"]);
  assert.deepEqual(await bashOffers(["sluice", "rec"]), ["reconcile"]);
  assert.deepEqual(await bashOffers(["sluice", "get", "ks", ""]), ["alpha", "beta"]);
  assert.deepEqual(await bashOffers(["sluice", "get", "ks", "-n", other, ""]), ["gamma"]);
  // Readline completes the text after an opening quote; the script passes the word unquoted.
  assert.deepEqual(await bashOffers(["sluice", "get", "-n", `"${other.slice(0, -2)}`]), [other]);
  assert.deepEqual(await bashOffers(["sluice", "get", "ks", "-n", `"${other}"`, ""]), ["gamma"]);
  // Bash splits --output=j into --output, =, j and replaces only the j.
  assert.deepEqual(await bashOffers(["sluice", "get", "--output", "=", "j"]), ["json"]);
  assert.deepEqual(await bashOffers(["sluice", "get", "--output", "="]), ["=yaml", "=json"]);
  // A path flag: file names.
  await writeFile(join(dir, "kubeconfig-a"), "");
  assert.deepEqual(await bashOffers(["sluice", "get", "--kubeconfig", join(dir, "kubeconfig-")]), [join(dir, "kubeconfig-a")]);
});

/**
 * Drives a real interactive zsh through the zpty module: it types the line and a Tab into a zsh with
 * compinit and the sourced script. zsh's completion builtins (compdescribe, used by _describe) work
 * only inside a completion widget, so calling _sluice directly is not an option. A compadd function
 * shadows the builtin and appends what each call adds (compadd -O: the matches after zsh's own
 * filtering) to a file; comppostfuncs marks the end of completion, which the harness waits for
 * before it ends the inner zsh with zpty -d.
 */
const zshHarness = `
zmodload zsh/zpty
hits=$1 line=$2
zpty z 'zsh -f -i'
zpty -w z "PS1='' PROMPT_EOL_MARK=''; unsetopt autolist beep; autoload -U compinit && compinit -u -D"
zpty -w z 'source <(sluice completion zsh)'
zpty -w z 'compadd() { if (( \${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi; local -a m; builtin compadd -O m "$@"; print -rl -- $m >>'"\${(q)hits}"'; builtin compadd "$@"; }'
zpty -w z 'comppostfuncs=(__done); __done() { : >'"\${(q)hits}"'.done; }'
zpty -w -n z "$line"$'\t'
for i in {1..150}; do [[ -e $hits.done ]] && break; sleep 0.1; done
zpty -d z
[[ -e $hits.done ]] || { print -u2 "zsh: no completion within 15s"; exit 1 }
`;

let zshRuns = 0;

/** What zsh offers on Tab after `line`, sorted. */
async function zshOffers(line: string): Promise<string[]> {
  const hits = join(dir, `zsh-hits-${zshRuns++}`);
  await writeFile(hits, "");
  const r = await shell("zsh", ["-f", "-c", zshHarness, "zsh", hits, line]);
  assert.equal(r.code, 0, r.stderr);
  return [...new Set((await readFile(hits, "utf8")).split("\n").filter(Boolean))].sort();
}

/** What every shell must offer, as `offers` reads its candidates for a typed line. */
async function expectCommonOffers(offers: (line: string) => Promise<string[]>): Promise<void> {
  assert.deepEqual(await offers("sluice rec"), ["reconcile"]);
  assert.deepEqual(await offers("sluice get k"), ["ks", "kustomization", "kustomizations"]);
  assert.deepEqual(await offers("sluice get ks "), ["alpha", "beta"]);
  assert.deepEqual(await offers(`sluice get ks -n ${other} `), ["gamma"]);
  assert.deepEqual(await offers("sluice get --output "), ["json", "yaml"]);
  // A word typed with an opening quote is completed unquoted.
  assert.deepEqual(await offers(`sluice get -n '${other.slice(0, -2)}`), [other]);
  assert.deepEqual(await offers("sluice logs --level "), ["debug", "error", "info", "warn"]);
  assert.deepEqual(await offers("sluice get --output=j"), ["--output=json"]);
}

test("zsh: the sourced script completes commands, kinds, names and flag values in a real zsh", async () => {
  await expectCommonOffers(zshOffers);
  await writeFile(join(dir, "zsh-kubeconfig-a"), "");
  // zsh lists file candidates by their last path component.
  assert.deepEqual(await zshOffers(`sluice get --kubeconfig ${join(dir, "zsh-kube")}`), ["zsh-kubeconfig-a"]);
});

/** What fish offers for `line` (complete -C), values only, sorted. */
async function fishOffers(line: string): Promise<string[]> {
  const r = await shell("fish", ["-c", "source (sluice completion fish | psub); complete -C $argv[1]", line]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  return r.stdout.split("\n").filter(Boolean).map((l) => l.split("\t")[0]).sort();
}

test("fish: the sourced script completes commands, kinds, names and flag values in a real fish", async () => {
  await expectCommonOffers(fishOffers);
  await writeFile(join(dir, "fish-kubeconfig-a"), "");
  assert.deepEqual(await fishOffers(`sluice get --kubeconfig ${join(dir, "fish-kube")}`), [join(dir, "fish-kubeconfig-a")]);
});

test("completion prints a script for each shell, with examples in --help", async () => {
  const registers: Record<string, string> = {
    bash: "complete -F _sluice sluice",
    zsh: "compdef _sluice sluice",
    fish: "complete -c sluice -f -a '(__sluice_complete)'",
    powershell: "Register-ArgumentCompleter -Native -CommandName 'sluice'",
  };
  for (const shell of Object.keys(registers)) {
    const script = await sluice(["completion", shell]);
    assert.equal(script.code, 0, script.stderr);
    assert.ok(script.stdout.includes(registers[shell]), `${shell}: ${script.stdout}`);
    const help = await sluice(["completion", shell, "--help"]);
    assert.match(help.stdout, new RegExp(`Examples:\\n[^]*sluice completion ${shell}`));
  }
  const bad = await sluice(["completion", "tcsh"]);
  assert.equal(bad.code, 1);
  const syntax = await bash("bash -n <(sluice completion bash)");
  assert.equal(syntax.code, 0, syntax.stderr);
  const zshSyntax = await shell("zsh", ["-c", "sluice completion zsh | zsh -n"]);
  assert.equal(zshSyntax.code, 0, zshSyntax.stderr);
  const fishSyntax = await shell("fish", ["-c", "sluice completion fish | fish -n"]);
  assert.equal(fishSyntax.code, 0, fishSyntax.stderr);
});
