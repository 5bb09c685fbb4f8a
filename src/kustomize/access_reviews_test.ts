import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeClient } from "../runtime/kube/client.ts";
import { AccessReviews } from "./access_reviews.ts";

/** A client answering SelfSubjectAccessReviews from `allowed(resource)`, counting them. */
function reviewer(allowed: (resource: string) => boolean): { client: KubeClient; asked: () => number } {
  let n = 0;
  const request = async (spec: { body: { spec: { resourceAttributes: { resource: string } } } }) => {
    n++;
    return { status: { allowed: allowed(spec.body.spec.resourceAttributes.resource) } };
  };
  return { client: { request } as unknown as KubeClient, asked: () => n };
}

const tenant = { cluster: "", user: "system:serviceaccount:t:tenant" };
const get = (resource: string) => ({ verb: "get", group: "", resource, namespace: "t" });

test("an allowance is asked once per TTL; a denial is asked again unless it is to be remembered", async () => {
  const { client, asked } = reviewer((r) => r === "configmaps");
  const reviews = new AccessReviews({ ttlMs: 60_000 });
  assert.equal((await reviews.decide(client, tenant, get("configmaps"))).allowed, true);
  assert.equal((await reviews.decide(client, tenant, get("configmaps"))).allowed, true);
  assert.equal(asked(), 1);
  assert.equal((await reviews.decide(client, tenant, get("secrets"))).allowed, false);
  assert.equal((await reviews.decide(client, tenant, get("secrets"))).allowed, false);
  assert.equal(asked(), 3, "denials are asked afresh: a Role granted later is seen at once");
  await reviews.decide(client, tenant, get("services"), { rememberDenied: true });
  await reviews.decide(client, tenant, get("services"), { rememberDenied: true });
  assert.equal(asked(), 4);
  // Another user, another cluster: other questions.
  await reviews.decide(client, { ...tenant, user: "system:serviceaccount:t:other" }, get("configmaps"));
  await reviews.decide(client, { ...tenant, cluster: "https://remote" }, get("configmaps"));
  assert.equal(asked(), 6);
});

test("answers expire after the TTL, and forget() drops a user's answers on a kind", async () => {
  const { client, asked } = reviewer(() => true);
  const reviews = new AccessReviews({ ttlMs: 20 });
  await reviews.decide(client, tenant, get("configmaps"));
  await new Promise((r) => setTimeout(r, 30));
  await reviews.decide(client, tenant, get("configmaps"));
  assert.equal(asked(), 2);

  const long = new AccessReviews({ ttlMs: 60_000 });
  await long.decide(client, tenant, get("configmaps"));
  await long.decide(client, tenant, get("secrets"));
  long.forget(tenant, { group: "", resource: "configmaps" });
  assert.equal(long.size, 1);
  await long.decide(client, tenant, get("secrets"));
  assert.equal(asked(), 4, "secrets still known");
  long.forget(tenant);
  assert.equal(long.size, 0);
});

test("a review that fails is not remembered", async () => {
  let fail = true;
  const client = { request: async () => (fail ? Promise.reject(new Error("boom")) : { status: { allowed: true } }) } as unknown as KubeClient;
  const reviews = new AccessReviews();
  await assert.rejects(reviews.decide(client, tenant, get("configmaps")), /boom/);
  fail = false;
  assert.equal((await reviews.decide(client, tenant, get("configmaps"))).allowed, true);
});
