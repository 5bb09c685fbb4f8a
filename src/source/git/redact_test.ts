import assert from "node:assert/strict";
import { test } from "node:test";
import { redact } from "./redact.ts";

test("redact hides secrets, URL userinfo and query strings", () => {
  assert.equal(
    redact("fatal: https://bob:hunter2@host/x.git?sig=abc failed with hunter2", ["hunter2"]),
    "fatal: https://host/x.git failed with ***",
  );
  assert.equal(redact("ssh://git@host:22/repo", []), "ssh://host:22/repo");
});
