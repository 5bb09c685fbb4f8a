/** The record of objects an applier manages, kept in its status so removed objects can be pruned. */
import { type Static, Type } from "./schema.ts";

export const ResourceRef = Type.Object(
  {
    id: Type.String({ description: "<namespace>_<name>_<group>_<kind> of the object." }),
    v: Type.String({ description: "API version of the object, without the group." }),
  },
  { description: "One managed object." },
);
export type ResourceRef = Static<typeof ResourceRef>;

export const ResourceInventory = Type.Object(
  { entries: Type.Array(ResourceRef, { description: "Managed objects." }) },
  { description: "The objects applied by the last reconcile." },
);
export type ResourceInventory = Static<typeof ResourceInventory>;
