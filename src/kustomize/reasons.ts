/** Ready/Healthy condition reasons of a Kustomization, as Flux names them (plus EmptyBuild). */
export const ksReasons = {
  succeeded: "ReconciliationSucceeded",
  failed: "ReconciliationFailed",
  artifactFailed: "ArtifactFailed",
  buildFailed: "BuildFailed",
  pruneFailed: "PruneFailed",
  healthCheckFailed: "HealthCheckFailed",
  dependencyNotReady: "DependencyNotReady",
  accessDenied: "AccessDenied",
  invalidCEL: "InvalidCELExpression",
  /** Sluice: a build with no objects would prune the whole inventory; refused unless allowed. */
  emptyBuild: "EmptyBuild",
} as const;

export const healthy = "Healthy";

/** Labels stamped on every applied object, and used to find them again. */
export const ownerLabelKeys = {
  name: "kustomize.toolkit.fluxcd.io/name",
  namespace: "kustomize.toolkit.fluxcd.io/namespace",
} as const;

export const fieldManager = "kustomize-controller";
export const finalizerName = "finalizers.fluxcd.io";
/** Annotation on a Kustomization allowing a build of zero objects to prune everything it applied. */
export const allowEmptyPruneAnnotation = "kustomize.toolkit.fluxcd.io/allow-empty-prune";
