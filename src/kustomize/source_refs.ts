import type { KindDefinition } from "../api/kind.ts";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import { bucketKind } from "../api/source/bucket.ts";
import { externalArtifactKind } from "../api/source/external_artifact.ts";
import { gitRepositoryKind } from "../api/source/git_repository.ts";
import { ociRepositoryKind } from "../api/source/oci_repository.ts";
import { refOfKind, type ResourceRef } from "../runtime/kube/resource_ref.ts";

/** Source kinds watched for new artifacts (ExternalArtifact sits behind a feature gate in Flux). */
export const sourceKinds: KindDefinition[] = [gitRepositoryKind, ociRepositoryKind, bucketKind, externalArtifactKind];

export function sourceResourceRef(kind: string): ResourceRef | undefined {
  const def = sourceKinds.find((k) => k.kind === kind);
  return def && refOfKind(def);
}

/** Index value for a Kustomization's source: Kind/namespace/name. */
export function sourceKey(ks: Kustomization): string {
  const ref = ks.spec.sourceRef;
  return `${ref.kind}/${ref.namespace ?? ks.metadata.namespace}/${ref.name}`;
}
