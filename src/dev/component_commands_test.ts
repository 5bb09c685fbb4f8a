import assert from "node:assert/strict";
import { test } from "node:test";
import { componentCommands } from "./component_commands.ts";
import { devLayout } from "./dev_layout.ts";
import { pkiPaths } from "./pki.ts";

const ports = { etcd: 2001, "etcd-peer": 2002, "kube-apiserver": 2003, "kube-controller-manager": 2004, "kube-scheduler": 2005, kwok: 2006 };
const commands = componentCommands({
  layout: devLayout("/state"),
  pki: pkiPaths("/state/pki"),
  ports,
  kubeconfigs: { "kube-controller-manager": "/k/kcm", "kube-scheduler": "/k/sched", kwok: "/k/kwok" },
  kwokConfig: "/state/config/kwok.yaml",
});
const args = (name: string) => commands.find((c) => c.name === name)!.args;

test("components start in order, each on its own loopback port", () => {
  assert.deepEqual(commands.map((c) => c.name), ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"]);
  assert.equal(new Set(commands.map((c) => c.port)).size, commands.length);
  for (const c of commands) assert.match(c.health, new RegExp(`^https?://127\\.0\\.0\\.1:${c.port}/`));
  assert.ok(args("etcd").includes("--listen-peer-urls=http://127.0.0.1:2002"));
  assert.ok(args("kwok").includes("--server-address=127.0.0.1:2006"));
});

test("the API server uses etcd, RBAC and service-account signing", () => {
  const a = args("kube-apiserver");
  for (const flag of [
    "--etcd-servers=http://127.0.0.1:2001",
    "--secure-port=2003",
    "--authorization-mode=RBAC",
    "--bind-address=127.0.0.1",
    "--service-account-signing-key-file=/state/pki/sa.key",
    "--service-account-key-file=/state/pki/sa.pub",
    "--client-ca-file=/state/pki/ca.crt",
  ]) assert.ok(a.includes(flag), flag);
  assert.ok(args("etcd").includes("--data-dir=/state/data/etcd"));
});

test("controllers keep node lifecycle on and node IPAM off; kwok only manages annotated nodes", () => {
  const kcm = args("kube-controller-manager");
  assert.ok(kcm.includes("--controllers=*,-node-ipam-controller"));
  assert.ok(kcm.includes("--use-service-account-credentials=true"));
  assert.ok(kcm.includes("--kubeconfig=/k/kcm"));
  assert.ok(args("kube-scheduler").includes("--kubeconfig=/k/sched"));
  assert.ok(args("kwok").includes("--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake"));
  assert.ok(args("kwok").includes("--manage-all-nodes=false"));
});

test("the fake nodes' kubelet is kwok's server: the API server reaches it by IP for pod logs", () => {
  assert.ok(args("kube-apiserver").includes("--kubelet-preferred-address-types=InternalIP"));
  for (const flag of [
    "--node-ip=127.0.0.1",
    "--node-port=2006",
    "--tls-cert-file=/state/pki/apiserver.crt",
    "--tls-private-key-file=/state/pki/apiserver.key",
    "--enable-crds=Logs,ClusterLogs",
  ]) assert.ok(args("kwok").includes(flag), flag);
});
