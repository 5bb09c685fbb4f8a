import type { KindDefinition } from "../api/kind.ts";
import { allKinds } from "../api/kinds.ts";
import { refOfKind, type ResourceRef } from "../runtime/kube/resource_ref.ts";

/** How the CLI names and handles one kind. */
export interface CliKind {
  def: KindDefinition;
  ref: ResourceRef;
  /** Flux's words after the verb: ["source", "git"], ["kustomization"]. */
  words: string[];
  /** Other names accepted in place of `words` (plural, short names, the kind itself). */
  aliases: string[];
  /** Whether the kind has spec.suspend (suspend/resume, the SUSPENDED column). */
  suspendable: boolean;
  /** Whether it is reconciled (has a status with conditions). */
  reconciled: boolean;
}


/** Flux's name for each kind after the verb (`flux get sources git`, `flux reconcile ks`). */
const fluxWords: Record<string, { words: string[]; aliases: string[] }> = {
  GitRepository: { words: ["source", "git"], aliases: [] },
  OCIRepository: { words: ["source", "oci"], aliases: [] },
  HelmRepository: { words: ["source", "helm"], aliases: [] },
  HelmChart: { words: ["source", "chart"], aliases: [] },
  Bucket: { words: ["source", "bucket"], aliases: [] },
  ExternalArtifact: { words: ["source", "external"], aliases: [] },
  Kustomization: { words: ["kustomization"], aliases: ["kustomizations", "ks"] },
  HelmRelease: { words: ["helmrelease"], aliases: ["helmreleases", "hr"] },
  Alert: { words: ["alert"], aliases: ["alerts"] },
  Provider: { words: ["alert-provider"], aliases: ["alert-providers"] },
  Receiver: { words: ["receiver"], aliases: ["receivers"] },
};

/** The order `get all` prints kinds in: sources, then appliers, then notifications. */
const order = Object.keys(fluxWords);

/** Every Flux kind the CLI knows. */
export const cliKinds: CliKind[] = [...allKinds].sort((a, b) => rank(a.kind) - rank(b.kind)).map((def) => {
  const flux = fluxWords[def.kind] ?? { words: [def.singular], aliases: [] };
  const names = [def.kind.toLowerCase(), def.plural, def.singular, ...(def.shortNames ?? []), ...flux.aliases];
  return {
    def,
    ref: refOfKind(def),
    words: flux.words,
    aliases: [...new Set(names)].filter((n) => n !== flux.words.at(-1)),
    suspendable: def.kind !== "ExternalArtifact",
    reconciled: def.status !== undefined,
  };
});

function rank(kind: string): number {
  const i = order.indexOf(kind);
  return i < 0 ? order.length : i;
}

export function isSourceKind(k: CliKind): boolean {
  return k.words[0] === "source";
}

/** A kind by its Kind name, e.g. from a sourceRef. */
export function kindByName(kind: string): CliKind | undefined {
  const lower = kind.toLowerCase();
  return cliKinds.find((k) => k.def.kind.toLowerCase() === lower);
}

/** A kind by its Kind name or one of its aliases (`ks`, `gitrepo`), in any case. */
export function kindByWord(word: string): CliKind | undefined {
  const lower = word.toLowerCase();
  return cliKinds.find((k) => k.def.kind.toLowerCase() === lower || k.aliases.includes(lower));
}

/** "source git", "kustomization": how help text and messages name a kind. */
export function kindPhrase(k: CliKind): string {
  return k.words.join(" ");
}
