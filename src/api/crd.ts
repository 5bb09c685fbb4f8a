import type { KindDefinition } from "./kind.ts";
import type { TSchema } from "./schema.ts";

/** Plain JSON of a TypeBox schema: TypeBox's symbol keys and TS-only hints dropped. */
export function plainSchema(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

/** The CustomResourceDefinition that serves a kind. */
export function toCrd(def: KindDefinition): Record<string, unknown> {
  const status = def.status ? plainSchema(def.status) : undefined;
  if (status && def.statusDefault) status.default = def.statusDefault;
  const openAPIV3Schema = {
    description: def.description,
    type: "object",
    properties: {
      apiVersion: { type: "string", description: "Versioned schema of this representation of the object." },
      kind: { type: "string", description: "REST resource this object represents." },
      metadata: { type: "object" },
      spec: plainSchema(def.spec),
      ...(status ? { status } : {}),
    },
    ...(def.rules ? { "x-kubernetes-validations": def.rules } : {}),
  };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${def.plural}.${def.group}`,
      annotations: { "kustomize.toolkit.fluxcd.io/substitute": "disabled" },
      labels: { "app.kubernetes.io/part-of": "sluice" },
    },
    spec: {
      group: def.group,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        ...(def.shortNames ? { shortNames: def.shortNames } : {}),
        ...(def.categories ? { categories: def.categories } : {}),
      },
      scope: "Namespaced",
      versions: [
        {
          name: def.version,
          served: true,
          storage: true,
          additionalPrinterColumns: def.printerColumns,
          schema: { openAPIV3Schema },
          subresources: status ? { status: {} } : {},
        },
      ],
    },
  };
}
