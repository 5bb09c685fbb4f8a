export const notificationGroup = "notification.toolkit.fluxcd.io";
export const notificationCategories = ["all", "fluxcd", "fluxcd-notifications"];
/** Receivers start at observedGeneration -1 so a fresh object never looks reconciled. */
export const notificationStatusDefault = { observedGeneration: -1 };
