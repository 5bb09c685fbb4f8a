import type { DigestAlgorithm } from "./artifact/digest_algorithm.ts";

/**
 * Flags the controllers share with Flux (flag names in comments). One object so that the CLI,
 * the tests and the benchmarks configure controllers the same way.
 */
export interface ControllerFlags {
  /** --requeue-dependency: retry delay while a dependency is not ready. */
  requeueDependencyMs: number;
  /** --no-cross-namespace-refs */
  noCrossNamespaceRefs: boolean;
  /** --default-service-account: impersonated when an object names none. */
  defaultServiceAccount?: string;
  /** --no-remote-bases (kustomize) */
  noRemoteBases: boolean;
  /** --insecure-kubeconfig-exec (kustomize): run exec credential plugins of spec.kubeConfig kubeconfigs. */
  insecureKubeconfigExec?: boolean;
  /** --insecure-kubeconfig-tls (kustomize): honour insecure-skip-tls-verify and http:// servers in spec.kubeConfig kubeconfigs. */
  insecureKubeconfigTls?: boolean;
  /** --kustomize-binary: the kustomize executable builds run (the dev tool cache's, or "kustomize" on PATH). */
  kustomizeBinary: string;
  /** --storage-path (source): where artifacts are kept. */
  storagePath: string;
  /** --storage-addr (source): where the artifact server listens. */
  storageAddr: string;
  /** --storage-adv-addr (source): host[:port] advertised in artifact URLs. */
  storageAdvAddr?: string;
  /** --artifact-retention-ttl */
  artifactRetentionTtlMs: number;
  /** --artifact-retention-records */
  artifactRetentionRecords: number;
  /** Largest Git clone (.git plus work tree) the source controller accepts, in bytes. */
  gitMaxCloneBytes: number;
  /** Largest artifact (compressed) a source may produce, in bytes. */
  artifactMaxBytes: number;
  /** --artifact-digest-algo (source): the hash in status.artifact.digest. */
  artifactDigestAlgo: DigestAlgorithm;
  /** --ssh-kex-algos (source): key exchange algorithms offered for git over SSH; empty = ssh's defaults. */
  sshKexAlgos: string[];
  /** --ssh-hostkey-algos (source): host key algorithms accepted for git over SSH; empty = ssh's defaults. */
  sshHostKeyAlgos: string[];
  /** --namespace: the runtime namespace (env RUNTIME_NAMESPACE, else flux-system), e.g. where --sops-age-secret is read. */
  runtimeNamespace: string;
  /** --sops-age-secret (kustomize): Secret in the runtime namespace whose `*.agekey` entries are fallback SOPS age keys. */
  sopsAgeSecret?: string;
  /** (kustomize, no CLI flag) How long SelfSubjectAccessReview answers are kept; default 30 s. */
  accessReviewTtlMs?: number;
  /** (kustomize, no CLI flag) How long a service account's unused watches are kept in a lockdown; default 5 min. */
  localWatchIdleMs?: number;
}

export function defaultControllerFlags(overrides: Partial<ControllerFlags> = {}): ControllerFlags {
  return {
    requeueDependencyMs: 30_000,
    noCrossNamespaceRefs: false,
    noRemoteBases: false,
    kustomizeBinary: "kustomize",
    storagePath: "/data",
    storageAddr: ":9090",
    artifactRetentionTtlMs: 60_000,
    artifactRetentionRecords: 2,
    gitMaxCloneBytes: 1024 * 1024 * 1024,
    artifactMaxBytes: 256 * 1024 * 1024,
    artifactDigestAlgo: "sha256",
    sshKexAlgos: [],
    sshHostKeyAlgos: [],
    runtimeNamespace: process.env.RUNTIME_NAMESPACE || "flux-system",
    ...overrides,
  };
}
