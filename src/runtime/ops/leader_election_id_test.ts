import assert from "node:assert/strict";
import { test } from "node:test";
import { leaderElectionId } from "./leader_election_id.ts";

test("one lease per controller set, and one per shard", () => {
  assert.equal(leaderElectionId("sluice-source"), "sluice-source-leader-election");
  const a = leaderElectionId("sluice-source", "sharding.fluxcd.io/key=shard1");
  const b = leaderElectionId("sluice-source", "sharding.fluxcd.io/key=shard2");
  assert.match(a, /^sluice-source-leader-election-[0-9a-f]{8}$/);
  assert.notEqual(a, b);
  assert.equal(a, leaderElectionId("sluice-source", "sharding.fluxcd.io/key=shard1"));
});
