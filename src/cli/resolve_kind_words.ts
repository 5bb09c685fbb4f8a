import { CliError } from "./cli_error.ts";
import { type CliKind, cliKinds, isSourceKind, kindPhrase } from "./cli_kinds.ts";

export interface KindSelection {
  kinds: CliKind[];
  /** The words after the kind: object names. */
  rest: string[];
}

export interface ResolveOptions {
  /** The verb, for messages: "get", "reconcile". */
  verb: string;
  /** Accept `all` and `sources [all]` for several kinds at once. */
  allowAll?: boolean;
  /** Which kinds this verb works on. */
  accepts?: (k: CliKind) => boolean;
}

/** How each verb whose first argument is `<kind...>` reads it (completion reads the same table). */
export const kindVerbs = {
  get: { allowAll: true },
  reconcile: { accepts: (k: CliKind) => k.reconciled && k.def.kind !== "ExternalArtifact" },
  suspend: { accepts: (k: CliKind) => k.suspendable, manyNames: true },
  resume: { accepts: (k: CliKind) => k.suspendable, manyNames: true },
  delete: {},
  export: { allowAll: true, manyNames: true },
  tree: { accepts: (k: CliKind) => k.def.kind === "Kustomization" },
} satisfies Record<string, Omit<ResolveOptions, "verb"> & { manyNames?: boolean }>;

/** A verb of kindVerbs. */
export type KindVerb = keyof typeof kindVerbs;

/** resolveKindWords with `verb`'s options from kindVerbs. */
export function resolveVerbKinds(words: string[], verb: KindVerb): KindSelection {
  return resolveKindWords(words, { verb, ...kindVerbs[verb] });
}

/**
 * Reads the kind from the front of the arguments the way flux spells it (`source git`, `ks`,
 * `helmreleases`), also accepting kubectl's names (`gitrepositories`, `gitrepo`, `GitRepository`).
 */
export function resolveKindWords(words: string[], opts: ResolveOptions): KindSelection {
  const accepts = opts.accepts ?? (() => true);
  const usable = cliKinds.filter(accepts);
  const first = words[0]?.toLowerCase();
  if (!first) throw new CliError(`sluice ${opts.verb} needs a kind: ${kindList(usable, opts.allowAll)}`);
  if (opts.allowAll && first === "all") return { kinds: usable, rest: words.slice(1) };
  if (first === "source" || first === "sources") {
    const sources = usable.filter(isSourceKind);
    const second = words[1]?.toLowerCase();
    if (!second || (opts.allowAll && second === "all")) {
      if (opts.allowAll) return { kinds: sources, rest: words.slice(2) };
      throw new CliError(`sluice ${opts.verb} ${first} needs a source kind: ${sources.map((k) => k.words[1]).join(", ")}`);
    }
    const hit = cliKinds.filter(isSourceKind).find((k) => k.words[1] === second || k.aliases.includes(second));
    if (!hit) {
      throw new CliError(`unknown source kind ${JSON.stringify(words[1])}: want one of ${sources.map((k) => k.words[1]).join(", ")}`);
    }
    return { kinds: [check(hit, usable, opts.verb)], rest: words.slice(2) };
  }
  const hit = cliKinds.find((k) => (k.words.length === 1 && k.words[0] === first) || k.aliases.includes(first));
  if (!hit) throw new CliError(`unknown kind ${JSON.stringify(words[0])}: want one of ${kindList(usable, opts.allowAll)}`);
  return { kinds: [check(hit, usable, opts.verb)], rest: words.slice(1) };
}

function check(k: CliKind, usable: CliKind[], verb: string): CliKind {
  if (!usable.includes(k)) throw new CliError(`sluice ${verb} does not work on ${k.def.kind} objects`);
  return k;
}

function kindList(kinds: CliKind[], all?: boolean): string {
  const names = kinds.map((k) => {
    const short = k.aliases.find((a) => a.length <= 3);
    return short ? `${kindPhrase(k)} (${short})` : kindPhrase(k);
  });
  return (all ? ["all", "sources", ...names] : names).join(", ");
}
