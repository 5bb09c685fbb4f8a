import assert from "node:assert/strict";
import { test } from "node:test";
import type { ClusterConnection } from "../kube/kubeconfig.ts";
import { RemoteClusters } from "./remote_clusters.ts";

const conn = (server: string): ClusterConnection => ({ server, namespace: "default", token: "t" });

test("RemoteClusters: one client per kubeconfig content, closed when its last user leaves or moves on", async () => {
  const pool = new RemoteClusters();
  let connects = 0;
  const connect = (server: string) => () => (connects++, conn(server));
  const a = pool.use("ns/one", "kubeconfig A", connect("https://127.0.0.1:1"));
  assert.equal(pool.use("ns/two", "kubeconfig A", connect("https://127.0.0.1:1")), a, "same content, same client");
  assert.equal(pool.use("ns/one", "kubeconfig A", connect("https://127.0.0.1:1")), a);
  assert.equal(connects, 1, "the kubeconfig is read once per content");

  // ns/one's Secret changed: it moves to a new client; A stays, ns/two still uses it.
  const b = pool.use("ns/one", "kubeconfig B", connect("https://127.0.0.1:2"));
  assert.notEqual(b, a);
  assert.equal(a.closed, false);
  assert.equal(pool.size, 2);
  assert.equal(pool.release("ns/two"), true);
  assert.equal(a.closed, true, "closed with its last user");
  assert.equal(pool.release("ns/two"), false);
  assert.equal(pool.keyOf("ns/one") !== undefined, true);

  // A kubeconfig that cannot be read changes nothing for its user.
  assert.throws(() => pool.use("ns/one", "kubeconfig C", () => { throw new Error("bad"); }), /bad/);
  assert.equal(pool.use("ns/one", "kubeconfig B", connect("https://127.0.0.1:2")), b);
  await pool.close();
  assert.equal(b.closed, true);
  assert.equal(pool.size, 0);
});
