import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { DevError } from "./dev_error.ts";

const exec = promisify(execFile);

export interface CertPair {
  cert: string;
  key: string;
}

/** Paths of the dev control plane's certificates and keys (PEM files). */
export interface Pki {
  dir: string;
  ca: CertPair;
  apiserver: CertPair;
  admin: CertPair;
  controllerManager: CertPair;
  scheduler: CertPair;
  kwok: CertPair;
  /** Service-account token signing key pair. */
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/** Names the API server answers to (its serving certificate's SANs). */
export const apiserverSans = [
  "IP:127.0.0.1",
  "IP:10.96.0.1",
  "DNS:localhost",
  "DNS:kubernetes",
  "DNS:kubernetes.default",
  "DNS:kubernetes.default.svc",
  "DNS:kubernetes.default.svc.cluster.local",
];

const clients = {
  admin: "/O=system:masters/CN=sluice-admin",
  controllerManager: "/CN=system:kube-controller-manager",
  scheduler: "/CN=system:kube-scheduler",
  kwok: "/O=system:masters/CN=kwok",
} as const;

function pair(dir: string, name: string): CertPair {
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

export function pkiPaths(dir: string): Pki {
  return {
    dir,
    ca: pair(dir, "ca"),
    apiserver: pair(dir, "apiserver"),
    admin: pair(dir, "admin"),
    controllerManager: pair(dir, "controller-manager"),
    scheduler: pair(dir, "scheduler"),
    kwok: pair(dir, "kwok"),
    serviceAccountKey: join(dir, "sa.key"),
    serviceAccountPub: join(dir, "sa.pub"),
  };
}

async function openssl(args: string[]): Promise<void> {
  try {
    await exec("openssl", args);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") {
      throw new DevError("openssl not found: the dev control plane makes its certificates with it. Install openssl (apt-get install openssl).");
    }
    throw new DevError(`openssl ${args[0]} failed: ${e.stderr?.trim() ?? e.message}`);
  }
}

const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
const days = ["-days", "3650"];

async function leaf(pki: Pki, p: CertPair, subject: string, ext: string[]): Promise<void> {
  await openssl([
    "req", "-x509", ...ecKey, "-keyout", p.key, "-out", p.cert, ...days, "-subj", subject,
    "-CA", pki.ca.cert, "-CAkey", pki.ca.key,
    "-addext", "basicConstraints=critical,CA:FALSE",
    "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
    ...ext.flatMap((e) => ["-addext", e]),
  ]);
}

/**
 * Makes (once) a CA, the API server's serving certificate, client certificates for the admin and each
 * component, and the service-account signing key, all ECDSA P-256. Kept between runs so that tokens and
 * kubeconfigs stay valid; a missing file makes the whole set again.
 */
export async function createPki(dir: string): Promise<Pki> {
  const pki = pkiPaths(dir);
  const files = [
    pki.ca, pki.apiserver, pki.admin, pki.controllerManager, pki.scheduler, pki.kwok,
  ].flatMap((p) => [p.cert, p.key]).concat(pki.serviceAccountKey, pki.serviceAccountPub);
  if (files.every((f) => existsSync(f))) return pki;

  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await openssl([
    "req", "-x509", ...ecKey, "-keyout", pki.ca.key, "-out", pki.ca.cert, ...days,
    "-subj", "/CN=sluice-dev-ca",
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
  ]);
  const client = ["extendedKeyUsage=clientAuth"];
  await Promise.all([
    leaf(pki, pki.apiserver, "/CN=kube-apiserver", [
      "extendedKeyUsage=serverAuth",
      `subjectAltName=${apiserverSans.join(",")}`,
    ]),
    leaf(pki, pki.admin, clients.admin, client),
    leaf(pki, pki.controllerManager, clients.controllerManager, client),
    leaf(pki, pki.scheduler, clients.scheduler, client),
    leaf(pki, pki.kwok, clients.kwok, client),
    openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", pki.serviceAccountKey]).then(() =>
      openssl(["ec", "-in", pki.serviceAccountKey, "-pubout", "-out", pki.serviceAccountPub])
    ),
  ]);
  return pki;
}
