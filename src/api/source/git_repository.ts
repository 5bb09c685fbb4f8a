import type { KindDefinition } from "../kind.ts";
import { readyColumns } from "../kind.ts";
import {
  Artifact,
  Interval,
  type KubeObject,
  LocalObjectReference,
  ReconcileStatusFields,
  Timeout,
} from "../meta.ts";
import { type Static, StringEnum, Type, withRules } from "../schema.ts";
import { sourceGroup, sourceCategories, sourceStatusDefault } from "./group.ts";

export const GitRepositoryRef = Type.Object(
  {
    branch: Type.Optional(Type.String({ description: "Branch to check out; defaults to master." })),
    commit: Type.Optional(Type.String({ description: "Commit SHA to check out; wins over every other field." })),
    name: Type.Optional(Type.String({ description: "Full reference, e.g. refs/heads/main or refs/pull/1/head." })),
    semver: Type.Optional(Type.String({ description: "Semver range; the highest matching tag is checked out." })),
    tag: Type.Optional(Type.String({ description: "Tag to check out." })),
  },
  { description: "Which Git reference to check out." },
);
export type GitRepositoryRef = Static<typeof GitRepositoryRef>;

export const GitRepositoryInclude = Type.Object({
  fromPath: Type.Optional(Type.String({ description: "Path in the included artifact to copy from; defaults to its root." })),
  repository: LocalObjectReference,
  toPath: Type.Optional(Type.String({ description: "Path in this artifact to copy to; defaults to the repository name." })),
});
export type GitRepositoryInclude = Static<typeof GitRepositoryInclude>;

export const GitRepositoryVerification = Type.Object(
  {
    mode: Type.Optional(
      StringEnum(["head", "HEAD", "Tag", "TagAndHEAD"] as const, {
        default: "HEAD",
        description: "What to verify: the HEAD commit, the tag, or both.",
      }),
    ),
    secretRef: LocalObjectReference,
  },
  { description: "Signature verification with PGP or SSH public keys held in a Secret." },
);

export const GitRepositorySpec = withRules(
  Type.Object({
    ignore: Type.Optional(Type.String({ description: ".gitignore-style rules for files left out of the artifact." })),
    include: Type.Optional(Type.Array(GitRepositoryInclude, { description: "Other GitRepositories copied into this artifact." })),
    interval: Interval("How often the repository is checked for new revisions."),
    provider: Type.Optional(
      StringEnum(["generic", "aws", "azure", "github"] as const, { description: "Who issues the credentials." }),
    ),
    proxySecretRef: Type.Optional(LocalObjectReference),
    recurseSubmodules: Type.Optional(Type.Boolean({ description: "Check out submodules too." })),
    ref: Type.Optional(GitRepositoryRef),
    secretRef: Type.Optional(LocalObjectReference),
    serviceAccountName: Type.Optional(Type.String({ description: "Service account for workload identity (aws, azure)." })),
    sparseCheckout: Type.Optional(Type.Array(Type.String(), { description: "Directories to check out; all when empty." })),
    suspend: Type.Optional(Type.Boolean({ description: "Stop reconciling this object." })),
    timeout: Type.Optional({ ...Timeout("Time limit for Git operations."), default: "60s" }),
    url: Type.String({ pattern: "^(http|https|ssh)://.*$", description: "Repository address: http, https or ssh." }),
    verify: Type.Optional(GitRepositoryVerification),
  }),
  [
    {
      rule: "!has(self.serviceAccountName) || (has(self.provider) && (self.provider == 'azure' || self.provider == 'aws'))",
      message: "serviceAccountName can only be set when provider is 'azure' or 'aws'",
    },
  ],
);
export type GitRepositorySpec = Static<typeof GitRepositorySpec>;

export const GitRepositoryStatus = Type.Object({
  ...ReconcileStatusFields,
  artifact: Type.Optional(Artifact),
  includedArtifacts: Type.Optional(Type.Array(Artifact, { description: "Artifacts of the includes, in spec order." })),
  observedIgnore: Type.Optional(Type.String()),
  observedInclude: Type.Optional(Type.Array(GitRepositoryInclude)),
  observedRecurseSubmodules: Type.Optional(Type.Boolean()),
  observedSparseCheckout: Type.Optional(Type.Array(Type.String())),
  sourceVerificationFingerprint: Type.Optional(Type.String({ description: "Fingerprint of the key that verified the source." })),
  sourceVerificationMode: Type.Optional(Type.String({ description: "Verification mode last applied." })),
});
export type GitRepositoryStatus = Static<typeof GitRepositoryStatus>;

export interface GitRepository extends KubeObject {
  spec: GitRepositorySpec;
  status?: GitRepositoryStatus;
}

export const gitRepositoryKind: KindDefinition = {
  group: sourceGroup,
  version: "v1",
  kind: "GitRepository",
  plural: "gitrepositories",
  singular: "gitrepository",
  shortNames: ["gitrepo"],
  categories: sourceCategories,
  description: "A Git repository, fetched on an interval and packaged as an artifact.",
  spec: GitRepositorySpec,
  status: GitRepositoryStatus,
  statusDefault: sourceStatusDefault,
  printerColumns: [{ name: "URL", type: "string", jsonPath: ".spec.url" }, ...readyColumns],
};
