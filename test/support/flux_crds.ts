/**
 * Flux's own CRDs, read at test time from the Flux controllers' Go module zips
 * (downloaded through the Go module proxy into the module cache). Nothing is copied into the repo.
 */
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";

const run = promisify(execFile);

/** The Flux v2.10 controller modules whose CRDs Sluice serves. */
export const fluxModules = [
  { module: "github.com/fluxcd/source-controller", version: "v1.10.1", toolchain: "go1.27.3" },
  { module: "github.com/fluxcd/kustomize-controller", version: "v1.10.1", toolchain: "go1.27.3" },
  { module: "github.com/fluxcd/helm-controller", version: "v1.6.4", toolchain: "local" },
  { module: "github.com/fluxcd/notification-controller", version: "v1.9.3", toolchain: "local" },
];

export interface Crd {
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; plural: string; singular: string; listKind: string; shortNames?: string[]; categories?: string[] };
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      additionalPrinterColumns?: Array<Record<string, unknown>>;
      schema: { openAPIV3Schema: Record<string, unknown> };
      subresources?: Record<string, unknown>;
    }>;
  };
}

async function moduleDir(m: (typeof fluxModules)[number]): Promise<string> {
  const { stdout } = await run("go", ["mod", "download", "-json", `${m.module}@${m.version}`], {
    env: { ...process.env, GOTOOLCHAIN: m.toolchain, GOFLAGS: "-mod=mod" },
    maxBuffer: 16 * 1024 * 1024,
    cwd: "/",
  });
  return (JSON.parse(stdout) as { Dir: string }).Dir;
}

/** Every CRD from Flux's config/crd/bases, by CRD name. */
export async function loadFluxCrds(): Promise<Map<string, Crd>> {
  const crds = new Map<string, Crd>();
  for (const m of fluxModules) {
    const dir = join(await moduleDir(m), "config", "crd", "bases");
    for (const file of (await readdir(dir)).filter((f) => f.endsWith(".yaml"))) {
      const crd = parse(await readFile(join(dir, file), "utf8")) as Crd;
      crds.set(crd.metadata.name, crd);
    }
  }
  return crds;
}
