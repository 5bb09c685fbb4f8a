import type { Kustomization } from "../api/kustomize/kustomization.ts";
import { parseDuration } from "../api/duration.ts";

/** Flux's timeout: spec.timeout, else interval − 30s, never under 30s. */
export function timeoutOf(ks: Kustomization): number {
  const ms = ks.spec.timeout ? parseDuration(ks.spec.timeout) : parseDuration(ks.spec.interval) - 30_000;
  return Math.max(ms, 30_000);
}

export function intervalOf(ks: Kustomization): number {
  return parseDuration(ks.spec.interval);
}

/** Retry delay after a failure: spec.retryInterval, else the interval. */
export function retryIntervalOf(ks: Kustomization): number {
  return ks.spec.retryInterval ? parseDuration(ks.spec.retryInterval) : intervalOf(ks);
}
