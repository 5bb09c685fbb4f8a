/** Pieces shared by several source kinds: Secret references, registry providers, OCI signature checks, status. */
import { Artifact, LocalObjectReference, ReconcileStatusFields } from "../meta.ts";
import { StringEnum, Type } from "../schema.ts";

/** Secret holding ca.crt and/or tls.crt with tls.key, for TLS towards the upstream. */
export const CertSecretRef = {
  ...LocalObjectReference,
  description: "Secret with ca.crt and/or tls.crt and tls.key used for TLS to the upstream.",
};

/** Secret holding a proxy address and optional username/password. */
export const ProxySecretRef = {
  ...LocalObjectReference,
  description: "Secret with the proxy address and, optionally, username and password.",
};

/** Cloud providers that can issue registry credentials (HelmRepository, OCIRepository). */
export const registryProviders = ["generic", "aws", "azure", "gcp"] as const;

export const OIDCIdentityMatch = Type.Object(
  {
    issuer: Type.String({ description: "Regular expression the certificate's OIDC issuer must match." }),
    subject: Type.String({ description: "Regular expression the certificate's identity subject must match." }),
  },
  { description: "A keyless signing identity that is trusted." },
);

/** Fields of a cosign/notation verification block; OCIRepository adds a trusted root to them. */
export const ociVerificationFields = {
  matchOIDCIdentity: Type.Optional(
    Type.Array(OIDCIdentityMatch, { description: "Keyless identities accepted; any one matching is enough." }),
  ),
  provider: StringEnum(["cosign", "notation"] as const, {
    default: "cosign",
    description: "Signature tool used for the check.",
  }),
  secretRef: Type.Optional({
    ...LocalObjectReference,
    description: "Secret with public keys (cosign) or trust policy and certificates (notation).",
  }),
};

/** Status fields of sources that serve a downloadable artifact with a stable "latest" address. */
export const SourceStatusFields = {
  ...ReconcileStatusFields,
  artifact: Type.Optional(Artifact),
  url: Type.Optional(Type.String({ description: "Stable address of the latest artifact." })),
};
