import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Value } from "@sinclair/typebox/value";
import { AlertSpec } from "./alert.ts";
import { ProviderSpec } from "./provider.ts";
import { ReceiverSpec } from "./receiver.ts";

describe("Receiver spec", () => {
  test("accepts a GitHub receiver that triggers a GitRepository and all labelled Kustomizations", () => {
    const spec = {
      type: "github",
      interval: "10m",
      events: ["ping", "push"],
      secretRef: { name: "webhook-token" },
      resourceFilter: "req.ref == 'refs/heads/main'",
      resources: [
        { kind: "GitRepository", name: "podinfo", namespace: "apps" },
        { apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", name: "*", matchLabels: { team: "web" } },
      ],
    };
    assert.ok(Value.Check(ReceiverSpec, spec), JSON.stringify([...Value.Errors(ReceiverSpec, spec)]));
  });

  test("accepts a generic-oidc receiver with providers", () => {
    const spec = {
      type: "generic-oidc",
      resources: [{ kind: "OCIRepository", name: "manifests" }],
      oidcProviders: [
        {
          issuerURL: "https://token.actions.githubusercontent.com",
          variables: [{ name: "repo", expression: "claims.repository" }],
          validations: [{ expression: "vars.repo == 'org/app'", message: "wrong repository" }],
        },
      ],
    };
    assert.ok(Value.Check(ReceiverSpec, spec), JSON.stringify([...Value.Errors(ReceiverSpec, spec)]));
  });

  test("rejects an unknown type, a kind outside the enum, a missing resources list and a day interval", () => {
    assert.equal(Value.Check(ReceiverSpec, { type: "svn", secretRef: { name: "t" }, resources: [] }), false);
    assert.equal(
      Value.Check(ReceiverSpec, { type: "generic", secretRef: { name: "t" }, resources: [{ kind: "Deployment", name: "web" }] }),
      false,
    );
    assert.equal(Value.Check(ReceiverSpec, { type: "generic", secretRef: { name: "t" } }), false);
    assert.equal(
      Value.Check(ReceiverSpec, { type: "generic", interval: "1d", secretRef: { name: "t" }, resources: [] }),
      false,
    );
  });
});

describe("Provider spec", () => {
  test("accepts a Slack provider and a GitHub commit-status provider", () => {
    const slack = {
      type: "slack",
      channel: "flux-alerts",
      address: "https://slack.com/api/chat.postMessage",
      secretRef: { name: "slack-bot-token" },
      timeout: "30s",
    };
    assert.ok(Value.Check(ProviderSpec, slack), JSON.stringify([...Value.Errors(ProviderSpec, slack)]));
    const github = {
      type: "github",
      address: "https://github.com/org/app",
      secretRef: { name: "github-token" },
      certSecretRef: { name: "github-ca" },
      proxySecretRef: { name: "proxy" },
      commitStatusExpr: "(event.involvedObject.kind + '/' + event.involvedObject.name).lowerAscii()",
    };
    assert.ok(Value.Check(ProviderSpec, github), JSON.stringify([...Value.Errors(ProviderSpec, github)]));
  });

  test("rejects an unknown type, a missing type, a bad timeout and a non-http proxy", () => {
    assert.equal(Value.Check(ProviderSpec, { type: "carrier-pigeon" }), false);
    assert.equal(Value.Check(ProviderSpec, { address: "https://example.com" }), false);
    assert.equal(Value.Check(ProviderSpec, { type: "generic", timeout: "1h" }), false);
    assert.equal(Value.Check(ProviderSpec, { type: "generic", proxy: "socks5://proxy:1080" }), false);
    assert.equal(Value.Check(ProviderSpec, { type: "generic", address: "x".repeat(2049) }), false);
  });
});

describe("Alert spec", () => {
  test("accepts an alert on all Kustomizations and one HelmRelease in another namespace", () => {
    const spec = {
      providerRef: { name: "slack" },
      eventSeverity: "error",
      eventSources: [
        { kind: "Kustomization", name: "*" },
        { kind: "HelmRelease", name: "ingress-nginx", namespace: "ingress" },
      ],
      inclusionList: [".*succeeded.*"],
      exclusionList: ["^Dependencies do not meet ready condition"],
      eventMetadata: { env: "production", cluster: "eu-1" },
      suspend: false,
    };
    assert.ok(Value.Check(AlertSpec, spec), JSON.stringify([...Value.Errors(AlertSpec, spec)]));
  });

  test("rejects a trace severity, an empty source name, a missing providerRef and a long summary", () => {
    const sources = [{ kind: "GitRepository", name: "flux-system" }];
    assert.equal(Value.Check(AlertSpec, { providerRef: { name: "p" }, eventSeverity: "trace", eventSources: sources }), false);
    assert.equal(Value.Check(AlertSpec, { providerRef: { name: "p" }, eventSources: [{ kind: "GitRepository", name: "" }] }), false);
    assert.equal(Value.Check(AlertSpec, { eventSources: sources }), false);
    assert.equal(Value.Check(AlertSpec, { providerRef: { name: "p" }, eventSources: sources, summary: "s".repeat(256) }), false);
    assert.equal(
      Value.Check(AlertSpec, { providerRef: { name: "p" }, eventSources: sources, eventMetadata: { replicas: 3 } }),
      false,
    );
  });
});
