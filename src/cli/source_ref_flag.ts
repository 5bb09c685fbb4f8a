import { InvalidArgumentError } from "commander";
import { kustomizationSourceKinds } from "../api/kustomize/kustomization.ts";

const name = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

/** A reference to a source object, as sourceRef and chartRef hold it. */
export interface SourceRefFlag {
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * A parser for `Kind/name[.namespace]` with Kind one of `kinds` (any case); with `defaultKind` the
 * Kind may be left out, as flux's `--source podinfo` means GitRepository/podinfo.
 */
export function sourceRefParser(kinds: readonly string[], defaultKind?: string): (value: string) => SourceRefFlag {
  const form = defaultKind ? "[Kind/]name[.namespace]" : "Kind/name[.namespace]";
  return (value) => {
    const m = new RegExp(`^(?:([A-Za-z]+)/)?(${name})(?:\\.(${name}))?$`).exec(value);
    if (!m || (!m[1] && !defaultKind)) throw new InvalidArgumentError(`want ${form}, e.g. ${defaultKind ?? kinds[0]}/podinfo.flux-system, got ${JSON.stringify(value)}`);
    const kind = m[1] ? kinds.find((k) => k.toLowerCase() === m[1].toLowerCase()) : defaultKind;
    if (!kind) throw new InvalidArgumentError(`source kind ${JSON.stringify(m[1])} is not one of ${kinds.join(", ")}`);
    return { kind, name: m[2], ...(m[4] ? { namespace: m[4] } : {}) };
  };
}

/** `--source [Kind/]name[.namespace]` of a Kustomization, Kind defaulting to GitRepository, as flux parses it. */
export const parseSourceFlag = sourceRefParser(kustomizationSourceKinds, "GitRepository");

/** `--depends-on [namespace/]name`. */
export function parseDependency(value: string): { name: string; namespace?: string } {
  const m = new RegExp(`^(?:(${name})/)?(${name})$`).exec(value);
  if (!m) throw new InvalidArgumentError(`want [namespace/]name, got ${JSON.stringify(value)}`);
  return { name: m[3], ...(m[1] ? { namespace: m[1] } : {}) };
}

const healthKinds: Record<string, string> = {
  deployment: "Deployment",
  daemonset: "DaemonSet",
  statefulset: "StatefulSet",
  helmrelease: "HelmRelease",
};
const healthApiVersions: Record<string, string> = {
  Deployment: "apps/v1",
  DaemonSet: "apps/v1",
  StatefulSet: "apps/v1",
  HelmRelease: "helm.toolkit.fluxcd.io/v2",
};

/** `--health-check Kind/name.namespace` for the kinds flux allows there. */
export function parseHealthCheck(value: string): { apiVersion: string; kind: string; name: string; namespace: string } {
  const m = new RegExp(`^([A-Za-z]+)/(${name})\\.(${name})$`).exec(value);
  const kind = m && healthKinds[m[1].toLowerCase()];
  if (!m || !kind) {
    throw new InvalidArgumentError(`want Kind/name.namespace with Kind one of Deployment, DaemonSet, StatefulSet, HelmRelease, got ${JSON.stringify(value)}`);
  }
  return { apiVersion: healthApiVersions[kind], kind, name: m[2], namespace: m[4] };
}
