import { applierCategories, applierStatusDefault } from "../applier.ts";

export const helmGroup = "helm.toolkit.fluxcd.io";
export const helmCategories = applierCategories;
export const helmStatusDefault = applierStatusDefault;
