import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiError, isServerUnavailable } from "./api_error.ts";

test("isServerUnavailable: refused connections and 5xx/429, found through the cause chain", () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" });
  assert.equal(isServerUnavailable(refused), true);
  assert.equal(isServerUnavailable(new Error("apply failed", { cause: new Error("wrapped", { cause: refused }) })), true);
  assert.equal(isServerUnavailable(new ApiError("PATCH", "/x", 503, {})), true);
  assert.equal(isServerUnavailable(new ApiError("PATCH", "/x", 429, {})), true);
});

test("isServerUnavailable: a request the server rejected is not", () => {
  assert.equal(isServerUnavailable(new ApiError("PATCH", "/x", 422, { reason: "Invalid" })), false);
  assert.equal(isServerUnavailable(new Error("dry-run failed", { cause: new ApiError("PATCH", "/x", 403, {}) })), false);
  assert.equal(isServerUnavailable(new Error("no cause")), false);
  assert.equal(isServerUnavailable(undefined), false);
});
