import type { KindDefinition } from "../kind.ts";
import { readyColumns } from "../kind.ts";
import { Interval, type KubeObject, LocalObjectReference, Timeout } from "../meta.ts";
import { type Static, StringEnum, Type, withRules } from "../schema.ts";
import { CertSecretRef, ProxySecretRef, SourceStatusFields } from "./common.ts";
import { sourceCategories, sourceGroup, sourceStatusDefault } from "./group.ts";

export const BucketSTSSpec = Type.Object(
  {
    certSecretRef: Type.Optional(CertSecretRef),
    endpoint: Type.String({ pattern: "^(http|https)://.*$", description: "Address of the token service." }),
    provider: StringEnum(["aws", "ldap"] as const, { description: "Kind of token service." }),
    secretRef: Type.Optional({
      ...LocalObjectReference,
      description: "Secret with username and password for the token service (ldap only).",
    }),
  },
  { description: "A security token service issuing temporary bucket credentials." },
);
export type BucketSTSSpec = Static<typeof BucketSTSSpec>;

export const BucketSpec = withRules(
  Type.Object({
    bucketName: Type.String({ description: "Name of the bucket or container." }),
    certSecretRef: Type.Optional(CertSecretRef),
    endpoint: Type.String({ description: "Object storage address, e.g. minio.example.com:9000." }),
    ignore: Type.Optional(Type.String({ description: ".gitignore-style rules for object keys left out." })),
    insecure: Type.Optional(Type.Boolean({ description: "Talk to the endpoint over plain HTTP." })),
    interval: Interval("How often the bucket is listed for changes."),
    prefix: Type.Optional(Type.String({ description: "Only objects whose key starts with this are fetched." })),
    provider: Type.Optional(
      StringEnum(["generic", "aws", "gcp", "azure"] as const, {
        default: "generic",
        description: "Storage client to use and who issues the credentials.",
      }),
    ),
    proxySecretRef: Type.Optional(ProxySecretRef),
    region: Type.Optional(Type.String({ description: "Region of the bucket (S3), also used for AWS STS." })),
    secretRef: Type.Optional({
      ...LocalObjectReference,
      description: "Secret with the provider's credentials, e.g. accesskey and secretkey.",
    }),
    serviceAccountName: Type.Optional(
      Type.String({ description: "Service account for workload identity (aws, gcp, azure)." }),
    ),
    sts: Type.Optional(BucketSTSSpec),
    suspend: Type.Optional(Type.Boolean({ description: "Stop reconciling this object." })),
    timeout: Type.Optional({ ...Timeout("Time limit for bucket operations."), default: "60s" }),
  }),
  [
    {
      rule: "self.provider == 'aws' || self.provider == 'generic' || !has(self.sts)",
      message: "sts can only be set when provider is 'aws' or 'generic'",
    },
    {
      rule: "self.provider != 'aws' || !has(self.sts) || self.sts.provider == 'aws'",
      message: "provider 'aws' needs sts.provider 'aws'",
    },
    {
      rule: "self.provider != 'generic' || !has(self.sts) || self.sts.provider == 'ldap'",
      message: "provider 'generic' needs sts.provider 'ldap'",
    },
    {
      rule: "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.secretRef)",
      message: "sts.secretRef cannot be set when sts.provider is 'aws'",
    },
    {
      rule: "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.certSecretRef)",
      message: "sts.certSecretRef cannot be set when sts.provider is 'aws'",
    },
    {
      rule: "self.provider != 'generic' || !has(self.serviceAccountName)",
      message: "serviceAccountName cannot be set when provider is 'generic'",
    },
    {
      rule: "!has(self.secretRef) || !has(self.serviceAccountName)",
      message: "secretRef and serviceAccountName cannot both be set",
    },
  ],
);
export type BucketSpec = Static<typeof BucketSpec>;

export const BucketStatus = Type.Object({
  ...SourceStatusFields,
  observedIgnore: Type.Optional(Type.String({ description: "ignore rules applied to the current artifact." })),
});
export type BucketStatus = Static<typeof BucketStatus>;

export interface Bucket extends KubeObject {
  spec: BucketSpec;
  status?: BucketStatus;
}

export const bucketKind: KindDefinition = {
  group: sourceGroup,
  version: "v1",
  kind: "Bucket",
  plural: "buckets",
  singular: "bucket",
  categories: sourceCategories,
  description: "An object storage bucket, listed on an interval and packaged as an artifact.",
  spec: BucketSpec,
  status: BucketStatus,
  statusDefault: sourceStatusDefault,
  printerColumns: [{ name: "Endpoint", type: "string", jsonPath: ".spec.endpoint" }, ...readyColumns],
};
