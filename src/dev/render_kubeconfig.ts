import { stringify } from "yaml";

export interface KubeconfigInput {
  /** Cluster, user and context name. */
  name: string;
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

const b64 = (pem: string) => Buffer.from(pem).toString("base64");

/** A self-contained kubeconfig (certificates embedded) with one cluster, user and context. */
export function renderKubeconfig(input: KubeconfigInput): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: input.name, cluster: { server: input.server, "certificate-authority-data": b64(input.caPem) } }],
    users: [{ name: input.name, user: { "client-certificate-data": b64(input.certPem), "client-key-data": b64(input.keyPem) } }],
    contexts: [{ name: input.name, context: { cluster: input.name, user: input.name } }],
    "current-context": input.name,
    preferences: {},
  });
}
