import { helmReleaseKind } from "./helm/helm_release.ts";
import type { KindDefinition } from "./kind.ts";
import { kustomizationKind } from "./kustomize/kustomization.ts";
import { alertKind } from "./notification/alert.ts";
import { providerKind } from "./notification/provider.ts";
import { receiverKind } from "./notification/receiver.ts";
import { bucketKind } from "./source/bucket.ts";
import { externalArtifactKind } from "./source/external_artifact.ts";
import { gitRepositoryKind } from "./source/git_repository.ts";
import { helmChartKind } from "./source/helm_chart.ts";
import { helmRepositoryKind } from "./source/helm_repository.ts";
import { ociRepositoryKind } from "./source/oci_repository.ts";

/** Every kind Sluice serves, in the order their CRDs are generated. */
export const allKinds: KindDefinition[] = [
  gitRepositoryKind,
  ociRepositoryKind,
  helmRepositoryKind,
  helmChartKind,
  bucketKind,
  externalArtifactKind,
  receiverKind,
  providerKind,
  alertKind,
  kustomizationKind,
  helmReleaseKind,
];
