import type { Command, Option } from "commander";
import { type CliKind, cliKinds, isSourceKind, kindByWord } from "./cli_kinds.ts";
import { defaultNamespace } from "./cluster_flags.ts";
import type { CompletionConnection, CompletionLookup, NamedKind } from "./completion_lookup.ts";
import { isHidden, walkWords, type WordWalk } from "./completion_words.ts";
import { type KindVerb, kindVerbs, type ResolveOptions, resolveKindWords } from "./resolve_kind_words.ts";

/** What completion needs of a kindVerbs entry. */
type VerbKinds = Omit<ResolveOptions, "verb"> & { manyNames?: boolean };
import { logLevels } from "./logs_command.ts";
import { knownKind, traceKindWords } from "./trace_kinds.ts";

export interface Candidate {
  value: string;
  description?: string;
}

/** What the shell should offer for the word under the cursor. */
export interface Completion {
  candidates: Candidate[];
  /** The candidates are not whole words (`Kustomization/`): no space after one. */
  noSpace?: boolean;
  /** Offer file names (the word is a path). */
  files?: boolean;
}

/** Values of flags whose parsers know them but commander does not (no .choices()). */
const knownValues: Record<string, string[]> = {
  "--level": logLevels,
  "--output": ["yaml", "json"],
  "--status-selector": ["ready=true", "ready=false", "ready=unknown", "ready!=true", "ready!=false"],
  "--types": ["Normal", "Warning", "Normal,Warning"],
};

/** Option-arguments named like this are paths: the shell completes file names. */
const pathArgument = /<(path|file|files|dir|manifests|kubeconfig)>/;

/** Completes the last of `words` (the words after the program name) against the command tree and the cluster. */
export async function complete(root: Command, words: string[], lookup: CompletionLookup): Promise<Completion> {
  const walk = walkWords(root, words);
  const found = await candidatesFor(walk, lookup);
  const prefix = walk.currentPrefix;
  const candidates = found.candidates
    .filter((c) => c.value.startsWith(walk.current))
    .map((c) => (prefix ? { ...c, value: prefix + c.value } : c));
  return { ...found, candidates: dedupe(candidates) };
}

async function candidatesFor(walk: WordWalk, lookup: CompletionLookup): Promise<Completion> {
  if (walk.valueFor) return flagValues(walk, walk.valueFor, lookup);
  if (!walk.positionalOnly && walk.current.startsWith("-")) return { candidates: flagNames(walk.command, walk.current) };
  const cmd = walk.command;
  if (walk.args.length === 0 && cmd.commands.length > 0) {
    return { candidates: cmd.commands.filter((c) => !isHidden(c)).map((c) => ({ value: c.name(), description: c.description() })) };
  }
  const first = cmd.registeredArguments[0]?.name();
  const verb: VerbKinds | undefined = walk.path.length === 1 && walk.path[0] in kindVerbs ? kindVerbs[walk.path[0] as KindVerb] : undefined;
  if (verb && first === "kind") return kindArguments(walk, verb, lookup);
  if (walk.path.length === 1 && walk.path[0] === "trace") return traceArguments(walk, lookup);
  // `build ks <name>`, `debug kustomization <name>`: a kind's command taking one existing object's name.
  const kind = kindOfCommand(cmd);
  if (kind && first === "name" && walk.args.length === 0 && walk.path[0] !== "create") {
    return { candidates: names(await lookup.names(namedKind(kind), connection(walk))) };
  }
  return { candidates: [] };
}

function flagNames(cmd: Command, current: string): Candidate[] {
  const options = cmd.options.filter((o) => !o.hidden);
  const out: Candidate[] = [];
  for (const o of options) if (o.long) out.push({ value: o.long, description: o.description });
  out.push({ value: "--help", description: "show help" });
  // Short forms only once the word cannot be a long one.
  if (!current.startsWith("--")) {
    for (const o of options) if (o.short) out.push({ value: o.short, description: o.description });
    out.push({ value: "-h", description: "show help" });
  }
  return out;
}

async function flagValues(walk: WordWalk, opt: Option, lookup: CompletionLookup): Promise<Completion> {
  if (opt.argChoices) return { candidates: opt.argChoices.map((value) => ({ value })) };
  const known = opt.long ? knownValues[opt.long] : undefined;
  if (known) return { candidates: known.map((value) => ({ value })) };
  switch (opt.long) {
    case "--namespace":
      return { candidates: names(await lookup.namespaces(connection(walk))) };
    case "--context":
      return { candidates: names(await lookup.contexts(connection(walk))) };
    case "--for":
      return forValues(walk, lookup);
    case "--kind":
      if (walk.path[0] === "trace") return { candidates: [...new Set(traceKindWords().map(([, k]) => k.kind))].map((value) => ({ value })) };
      return { candidates: cliKinds.map((k) => ({ value: k.def.kind })) };
  }
  if (pathArgument.test(opt.flags)) return { candidates: [], files: true };
  return { candidates: [] };
}

/** `events --for Kind/name`: first the kind (no space after it), then that kind's names. */
async function forValues(walk: WordWalk, lookup: CompletionLookup): Promise<Completion> {
  const slash = walk.current.indexOf("/");
  if (slash < 0) return { candidates: cliKinds.map((k) => ({ value: `${k.def.kind}/` })), noSpace: true };
  const word = walk.current.slice(0, slash);
  const kind = kindByWord(word);
  if (!kind) return { candidates: [] };
  return { candidates: names(await lookup.names(namedKind(kind), connection(walk)), `${word}/`) };
}

async function kindArguments(walk: WordWalk, verb: VerbKinds, lookup: CompletionLookup): Promise<Completion> {
  const usable = cliKinds.filter(verb.accepts ?? (() => true));
  const args = walk.args;
  if (args.length === 0) return { candidates: kindWords(usable, verb.allowAll) };
  const first = args[0].toLowerCase();
  if (args.length === 1 && (first === "source" || first === "sources")) {
    const sources = usable.filter(isSourceKind).map((k) => ({ value: k.words[1], description: k.def.kind }));
    return { candidates: verb.allowAll ? [{ value: "all", description: "every source kind" }, ...sources] : sources };
  }
  let selection;
  try {
    selection = resolveKindWords(args, { verb: walk.path[0], allowAll: verb.allowAll, accepts: verb.accepts });
  } catch {
    return { candidates: [] };
  }
  if (selection.kinds.length !== 1) return { candidates: [] };
  if (selection.rest.length > 0 && !verb.manyNames) return { candidates: [] };
  const found = await lookup.names(namedKind(selection.kinds[0]), connection(walk));
  return { candidates: names(found.filter((n) => !selection.rest.includes(n))) };
}

/** `all`, `source(s)`, then each kind's flux word, its plural and short name (ks, hr). */
function kindWords(kinds: CliKind[], allowAll?: boolean): Candidate[] {
  const out: Candidate[] = [];
  if (allowAll) out.push({ value: "all", description: "every Flux kind" });
  if (kinds.some(isSourceKind)) out.push({ value: "source", description: "a source kind: git, oci, helm, chart, bucket" }, { value: "sources", description: "source kinds" });
  for (const k of kinds.filter((k) => !isSourceKind(k))) {
    out.push({ value: k.words[0], description: k.def.kind });
    for (const alias of k.aliases) if (alias === `${k.words[0]}s` || alias.length <= 3) out.push({ value: alias, description: k.def.kind });
  }
  return out;
}

/** `trace <name> --kind K`, `trace kind/name`, `trace kind name…`. */
async function traceArguments(walk: WordWalk, lookup: CompletionLookup): Promise<Completion> {
  const conn = connection(walk);
  const apiVersion = typeof walk.flags.apiVersion === "string" ? walk.flags.apiVersion : undefined;
  const kindFlag = walk.flags.kind;
  if (typeof kindFlag === "string") {
    const known = knownKind(kindFlag);
    const version = apiVersion ?? known?.apiVersion;
    if (!version) return { candidates: [] };
    return { candidates: names(await lookup.names({ kind: known?.kind ?? kindFlag, apiVersion: version }, conn)) };
  }
  const slash = walk.current.indexOf("/");
  if (slash >= 0) {
    const word = walk.current.slice(0, slash);
    const known = knownKind(word);
    if (!known) return { candidates: [] };
    return { candidates: names(await lookup.names({ ...known, apiVersion: apiVersion ?? known.apiVersion }, conn), `${word}/`) };
  }
  if (walk.args.length === 0) return { candidates: traceKindCandidates() };
  const known = knownKind(walk.args[0]);
  if (known && !walk.args.some((a) => a.includes("/"))) {
    const found = await lookup.names({ ...known, apiVersion: apiVersion ?? known.apiVersion }, conn);
    return { candidates: names(found.filter((n) => !walk.args.slice(1).includes(n))) };
  }
  return { candidates: [] };
}

/** The kind words `trace` knows, less the plurals (it traces one object): deployment, deploy, ks, helmrelease. */
function traceKindCandidates(): Candidate[] {
  return traceKindWords()
    .filter(([word, k]) => {
      const kind = k.kind.toLowerCase();
      return ![`${kind}s`, `${kind}es`, `${kind.replace(/y$/, "ies")}`].includes(word) || word === kind;
    })
    .map(([value, k]) => ({ value, description: k.kind }));
}

/** The Flux kind a command is named after (`kustomization`, alias `ks`), if any. */
function kindOfCommand(cmd: Command): CliKind | undefined {
  const words = [cmd.name(), ...cmd.aliases()];
  return cliKinds.find((k) => words.includes(k.words.at(-1)!) || k.aliases.some((a) => words.includes(a)));
}

function namedKind(k: CliKind): NamedKind {
  return { kind: k.def.kind, apiVersion: `${k.def.group}/${k.def.version}` };
}

/** The connection the typed words name; the same defaults as the commands' own flags. */
export function connection(walk: WordWalk): CompletionConnection {
  const str = (v: string | boolean | undefined) => (typeof v === "string" ? v : undefined);
  return {
    kubeconfig: str(walk.flags.kubeconfig),
    context: str(walk.flags.context),
    namespace: str(walk.flags.namespace) ?? defaultNamespace(),
    allNamespaces: walk.flags.allNamespaces === true,
  };
}

function names(list: string[], prefix = ""): Candidate[] {
  return [...new Set(list)].sort().map((n) => ({ value: prefix + n }));
}

function dedupe(list: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return list.filter((c) => !seen.has(c.value) && seen.add(c.value));
}

