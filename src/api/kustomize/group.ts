import { applierCategories, applierStatusDefault } from "../applier.ts";

export const kustomizeGroup = "kustomize.toolkit.fluxcd.io";
export const kustomizeCategories = applierCategories;
export const kustomizeStatusDefault = applierStatusDefault;
