import assert from "node:assert/strict";
import { test } from "node:test";
import { DevError } from "./dev_error.ts";
import { exitedError } from "./exited_error.ts";

const component = { name: "kube-apiserver", port: 6443, log: "/s/logs/kube-apiserver.log" };

test("exitedError names the component and quotes its log", () => {
  const err = exitedError(component, "E1 something broke\nF2 fatal");
  assert.ok(err instanceof DevError);
  assert.match(err.message, /^kube-apiserver exited early: see \/s\/logs\/kube-apiserver.log/);
  assert.match(err.message, /--- last lines of \/s\/logs\/kube-apiserver.log ---\nE1 something broke\nF2 fatal$/);
});

test("exitedError says which port would not bind", () => {
  const err = exitedError(component, 'E1125 run.go:72] "command failed" err="failed to listen on 127.0.0.1:6443: listen tcp 127.0.0.1:6443: bind: address already in use"');
  assert.match(err.message, /port 6443 would not bind/);
  assert.match(err.message, /ss -ltnp \| grep :6443/);
});
