export const sourceGroup = "source.toolkit.fluxcd.io";
export const sourceCategories = ["all", "fluxcd", "fluxcd-sources"];
/** Sources start at observedGeneration -1 so a fresh object never looks reconciled. */
export const sourceStatusDefault = { observedGeneration: -1 };
