import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";

/** Where an API server is and the client certificate to talk to it with (PEM strings). */
export interface KubeConnection {
  server: string;
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
}

interface Named<T> {
  name: string;
  cluster?: T;
  user?: T;
  context?: T;
}

type Fields = Record<string, string | undefined>;

function pick(list: Named<Fields>[] | undefined, name: string | undefined, key: "cluster" | "user" | "context"): Fields {
  const found = (list ?? []).find((e) => e.name === name)?.[key];
  if (!found) throw new Error(`kubeconfig has no ${key} named ${name}`);
  return found;
}

/** The current context of a kubeconfig, with *-data fields decoded and file references read. */
export function readKubeconfig(path: string): KubeConnection {
  const doc = parse(readFileSync(path, "utf8")) as {
    "current-context"?: string;
    clusters?: Named<Fields>[];
    users?: Named<Fields>[];
    contexts?: Named<Fields>[];
  };
  const context = pick(doc.contexts, doc["current-context"], "context");
  const cluster = pick(doc.clusters, context.cluster, "cluster");
  const user = pick(doc.users, context.user, "user");
  const base = dirname(path);
  const material = (fields: Fields, dataKey: string, fileKey: string): string | undefined => {
    const data = fields[dataKey];
    if (data) return Buffer.from(data, "base64").toString("utf8");
    const file = fields[fileKey];
    return file ? readFileSync(resolve(base, file), "utf8") : undefined;
  };
  if (!cluster.server) throw new Error(`kubeconfig ${path}: cluster ${context.cluster} has no server`);
  return {
    server: cluster.server.replace(/\/$/, ""),
    ca: material(cluster, "certificate-authority-data", "certificate-authority"),
    cert: material(user, "client-certificate-data", "client-certificate"),
    key: material(user, "client-key-data", "client-key"),
    token: user.token,
  };
}
