/** Snapshots of the Helm releases a HelmRelease made, newest first. */
import { MapOf, type Static, Timestamp, Type } from "../schema.ts";

export const TestHookStatus = Type.Object(
  {
    lastCompleted: Type.Optional(Timestamp({ description: "When the test last finished." })),
    lastStarted: Type.Optional(Timestamp({ description: "When the test last started." })),
    phase: Type.Optional(Type.String({ description: "Last phase of the test." })),
  },
  { description: "What was last seen of one test hook." },
);
export type TestHookStatus = Static<typeof TestHookStatus>;

export const HelmReleaseSnapshot = Type.Object(
  {
    action: Type.Optional(Type.String({ description: "Helm action that wrote the release." })),
    apiVersion: Type.Optional(Type.String({ description: "Version of the snapshot format." })),
    appVersion: Type.Optional(Type.String({ description: "App version of the chart." })),
    chartName: Type.String({ description: "Name of the chart." }),
    chartVersion: Type.String({ description: "Version of the chart." }),
    configDigest: Type.String({ description: "<algorithm>:<hex> of the values." }),
    deleted: Type.Optional(Timestamp({ description: "When the release was deleted." })),
    digest: Type.String({ description: "<algorithm>:<hex> of the release." }),
    firstDeployed: Timestamp({ description: "When the release was first deployed." }),
    lastDeployed: Timestamp({ description: "When the release was last deployed." }),
    name: Type.String({ description: "Name of the release." }),
    namespace: Type.String({ description: "Namespace of the release." }),
    ociDigest: Type.Optional(Type.String({ description: "Digest of the OCI chart artifact." })),
    status: Type.String({ description: "Helm status of the release." }),
    testHooks: Type.Optional(
      MapOf(TestHookStatus, { description: "Test hooks of the release by name." }),
    ),
    version: Type.Integer({ description: "Helm revision number of the release." }),
  },
  { description: "One Helm release revision." },
);
export type HelmReleaseSnapshot = Static<typeof HelmReleaseSnapshot>;

export const HelmReleaseHistory = Type.Array(HelmReleaseSnapshot, {
  description: "Releases made for this object, newest first.",
});
