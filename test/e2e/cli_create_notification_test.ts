/**
 * `sluice create alert-provider|alert|receiver`: the notification kinds, applied without waiting (no
 * Sluice controller; Provider and Alert have no status), printed by --export, bad enums refused.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { parse } from "yaml";
import { alertKind } from "../../src/api/notification/alert.ts";
import { providerKind } from "../../src/api/notification/provider.ts";
import { receiverKind } from "../../src/api/notification/receiver.ts";
import { refOfKind } from "../../src/runtime/kube/resource_ref.ts";
import { freshNamespace } from "../support/cluster.ts";
import { expectOneLineErrors, sluice, testApi } from "./cli_support.ts";

const api = testApi();
const ns = await freshNamespace("cli-notify");
const n = () => ["-n", ns];

after(() => api.client.close());

test("create alert-provider, alert and receiver: applied, not waited for, read back with the expected spec", async () => {
  const provider = await sluice(["create", "alert-provider", "slack", "--type", "slack", "--channel", "general", "--username", "flux", "--secret-ref", "slack-url", ...n()]);
  assert.equal(provider.code, 0, provider.stderr);
  assert.equal(provider.stderr, `► creating Provider slack in ${ns} namespace\n✔ Provider created\n✔ Provider applied (it has no status to wait for)\n`);
  assert.deepEqual((await api.get(refOfKind(providerKind), ns, "slack")).spec, { type: "slack", channel: "general", username: "flux", secretRef: { name: "slack-url" } });

  const alert = await sluice(["create", "alert", "podinfo", "--provider-ref", "slack", "--event-severity", "error", "--event-source", "Kustomization/podinfo", "--event-source", "gitrepository/*.flux-system", ...n()]);
  assert.equal(alert.code, 0, alert.stderr);
  assert.deepEqual((await api.get(refOfKind(alertKind), ns, "podinfo")).spec, {
    providerRef: { name: "slack" },
    eventSeverity: "error",
    eventSources: [
      { kind: "Kustomization", name: "podinfo" },
      { kind: "GitRepository", name: "*", namespace: "flux-system" },
    ],
  });

  const receiver = await sluice(["create", "receiver", "github", "--type", "github", "--event", "ping,push", "--secret-ref", "webhook-token", "--resource", "GitRepository/podinfo", "--interval", "10m", ...n()]);
  assert.equal(receiver.code, 0, receiver.stderr);
  assert.match(receiver.stderr, /⚠️ not waiting for Receiver github to be ready: no Sluice controller reconciles Receiver yet/);
  assert.deepEqual((await api.get(refOfKind(receiverKind), ns, "github")).spec, {
    type: "github",
    interval: "10m",
    events: ["ping", "push"],
    secretRef: { name: "webhook-token" },
    resources: [{ kind: "GitRepository", name: "podinfo" }],
  });
});

test("--export prints the objects as YAML and applies nothing", async () => {
  const r = await sluice(["create", "alert", "exported", "--provider-ref", "teams", "--event-source", "HelmRelease/web", "--export", ...n()]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(parse(r.stdout), {
    apiVersion: "notification.toolkit.fluxcd.io/v1beta3",
    kind: "Alert",
    metadata: { name: "exported", namespace: ns },
    spec: { providerRef: { name: "teams" }, eventSources: [{ kind: "HelmRelease", name: "web" }] },
  });
  const p = await sluice(["create", "alert-provider", "hook", "--type", "generic", "--address", "https://hooks.example.com/flux", "--export", ...n()]);
  assert.equal(p.code, 0, p.stderr);
  assert.deepEqual(parse(p.stdout).spec, { type: "generic", address: "https://hooks.example.com/flux" });
  assert.equal(await api.find(refOfKind(alertKind), ns, "exported"), undefined);
  assert.equal(await api.find(refOfKind(providerKind), ns, "hook"), undefined);
});

test("bad input is one line and exit 1: an unknown type, severity or kind, and a missing --resource", async () => {
  const cases: Array<[string[], RegExp]> = [
    [["create", "alert-provider", "x", "--type", "carrier-pigeon"], /^✗ option '--type <type>' argument 'carrier-pigeon' is invalid\. Allowed choices are slack, discord, msteams, .*\n$/],
    [["create", "alert", "x", "--provider-ref", "p", "--event-source", "Kustomization/a", "--event-severity", "warning"], /^✗ option '--event-severity <severity>' argument 'warning' is invalid\. Allowed choices are info, error\.\n$/],
    [["create", "alert", "x", "--provider-ref", "p", "--event-source", "Deployment/web"], /^✗ option .* argument 'Deployment\/web' is invalid\. kind "Deployment" is not one of Bucket, GitRepository, .*\n$/],
    [["create", "receiver", "x", "--type", "github", "--secret-ref", "t"], /^✗ required option '--resource <Kind\/name\[\.namespace\]>' not specified\n$/],
  ];
  await expectOneLineErrors(cases, n());
});
