import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { kubeRequestOk } from "./kube_request.ts";
import type { KubeConnection } from "./read_kubeconfig.ts";

const crdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

/** The CRD manifests of a folder (every *.yaml holding a CustomResourceDefinition), by name. */
export async function readCrds(dir: string): Promise<{ name: string; yaml: string }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  const crds: { name: string; yaml: string }[] = [];
  for (const f of files) {
    const text = await readFile(join(dir, f), "utf8");
    const doc = parse(text) as { kind?: string; metadata?: { name?: string } };
    if (doc?.kind === "CustomResourceDefinition" && doc.metadata?.name) crds.push({ name: doc.metadata.name, yaml: text });
  }
  return crds;
}

/** Server-side applies every CRD of `dir` (field manager sluice-dev); returns their names. */
export async function applyCrds(conn: KubeConnection, dir: string): Promise<string[]> {
  const crds = await readCrds(dir);
  await Promise.all(
    crds.map((crd) =>
      kubeRequestOk(conn, {
        method: "PATCH",
        path: `${crdPath}/${crd.name}?fieldManager=sluice-dev&force=true`,
        body: crd.yaml,
        contentType: "application/apply-patch+yaml",
      })
    ),
  );
  return crds.map((c) => c.name);
}

/** Names among `names` whose CRD does not have Established=True yet. */
export async function unestablishedCrds(conn: KubeConnection, names: string[]): Promise<string[]> {
  const results = await Promise.all(
    names.map(async (name) => {
      const crd = (await kubeRequestOk(conn, { path: `${crdPath}/${name}` })).json<{
        status?: { conditions?: { type: string; status: string }[] };
      }>();
      return crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ? undefined : name;
    }),
  );
  return results.filter((n): n is string => n !== undefined);
}

/**
 * Touches a CRD (adds, then removes, an annotation) so the API server's establishing controller looks
 * at it again: an apply that races with the API server's own start can leave a CRD "Installing" for good,
 * since that controller is only queued on update events.
 */
export async function nudgeCrd(conn: KubeConnection, name: string): Promise<void> {
  const patch = (value: string | null) =>
    kubeRequestOk(conn, {
      method: "PATCH",
      path: `${crdPath}/${name}?fieldManager=sluice-dev-nudge`,
      body: { metadata: { annotations: { "sluice.dev/establish-nudge": value } } },
      contentType: "application/merge-patch+json",
    });
  await patch(new Date().toISOString());
  await patch(null);
}
