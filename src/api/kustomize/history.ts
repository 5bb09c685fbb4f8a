/** The last few distinct outcomes of a Kustomization's reconciles, newest first. */
import { Int64, type Static, StringMap, Timestamp, Type } from "../schema.ts";

export const KustomizationSnapshot = Type.Object(
  {
    digest: Type.String({ description: "<algorithm>:<hex> of the manifests built." }),
    firstReconciled: Timestamp({ description: "When this build was first reconciled." }),
    lastReconciled: Timestamp({ description: "When this build was last reconciled." }),
    lastReconciledDuration: Type.String({ description: "How long the last reconcile of this build took." }),
    lastReconciledStatus: Type.String({ description: "Reason of the last reconcile's outcome." }),
    metadata: Type.Optional(StringMap({ description: "Facts about the build, such as the source revision." })),
    totalReconciliations: Int64({ description: "How often this build was reconciled with this outcome." }),
  },
  { description: "One distinct build and outcome." },
);
export type KustomizationSnapshot = Static<typeof KustomizationSnapshot>;

export const KustomizationHistory = Type.Array(KustomizationSnapshot, {
  description: "Recent distinct builds and outcomes, newest first.",
});
