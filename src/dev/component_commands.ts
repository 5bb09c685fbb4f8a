import { join } from "node:path";
import type { DevLayout } from "./dev_layout.ts";
import type { PortName, Ports } from "./dev_state.ts";
import type { Pki } from "./pki.ts";
import { kwokCrdKinds } from "./kwok_crds.ts";

export const serviceClusterIpRange = "10.96.0.0/16";

/** How to start one component and how to tell it is healthy. */
export interface ComponentCommand {
  name: string;
  /** Binary name, as in components.ts. */
  binary: string;
  args: string[];
  port: number;
  /** URL answering 200 "ok" once the component is healthy (https ones use the admin client cert). */
  health: string;
}

export interface CommandInputs {
  layout: DevLayout;
  pki: Pki;
  ports: Ports;
  /** Component name → its kubeconfig file. */
  kubeconfigs: Record<"kube-controller-manager" | "kube-scheduler" | "kwok", string>;
  kwokConfig: string;
}

const loopback = "127.0.0.1";
const url = (scheme: string, port: number, path = "") => `${scheme}://${loopback}:${port}${path}`;

/** Command lines for etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok, in start order. */
export function componentCommands(i: CommandInputs): ComponentCommand[] {
  const p = (n: PortName) => i.ports[n];
  const etcdUrl = url("http", p("etcd"));
  const peerUrl = url("http", p("etcd-peer"));
  return [
    {
      name: "etcd",
      binary: "etcd",
      port: p("etcd"),
      health: url("http", p("etcd"), "/health"),
      args: [
        "--name=default",
        `--data-dir=${i.layout.etcdData}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        "--initial-cluster-state=new",
        "--unsafe-no-fsync",
        "--log-level=warn",
      ],
    },
    {
      name: "kube-apiserver",
      binary: "kube-apiserver",
      port: p("kube-apiserver"),
      health: url("https", p("kube-apiserver"), "/readyz"),
      args: [
        `--etcd-servers=${etcdUrl}`,
        `--bind-address=${loopback}`,
        `--advertise-address=${loopback}`,
        `--secure-port=${p("kube-apiserver")}`,
        `--tls-cert-file=${i.pki.apiserver.cert}`,
        `--tls-private-key-file=${i.pki.apiserver.key}`,
        `--client-ca-file=${i.pki.ca.cert}`,
        "--service-account-issuer=https://kubernetes.default.svc",
        `--service-account-key-file=${i.pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${i.pki.serviceAccountKey}`,
        "--authorization-mode=RBAC",
        `--service-cluster-ip-range=${serviceClusterIpRange}`,
        "--endpoint-reconciler-type=none",
        "--allow-privileged=true",
        "--profiling=false",
        // Pod logs: the fake nodes' kubelet endpoint is kwok's server on loopback (see kwokCommand), reached
        // by IP (the node names do not resolve) without checking its certificate.
        "--kubelet-preferred-address-types=InternalIP",
      ],
    },
    {
      name: "kube-controller-manager",
      binary: "kube-controller-manager",
      port: p("kube-controller-manager"),
      health: url("https", p("kube-controller-manager"), "/healthz"),
      args: [
        `--kubeconfig=${i.kubeconfigs["kube-controller-manager"]}`,
        `--bind-address=${loopback}`,
        `--secure-port=${p("kube-controller-manager")}`,
        `--cert-dir=${join(i.layout.config, "kube-controller-manager-certs")}`,
        "--leader-elect=false",
        `--service-account-private-key-file=${i.pki.serviceAccountKey}`,
        `--root-ca-file=${i.pki.ca.cert}`,
        "--use-service-account-credentials=true",
        `--cluster-signing-cert-file=${i.pki.ca.cert}`,
        `--cluster-signing-key-file=${i.pki.ca.key}`,
        `--service-cluster-ip-range=${serviceClusterIpRange}`,
        "--controllers=*,-node-ipam-controller",
        "--node-monitor-period=2s",
        "--kube-api-qps=100",
        "--kube-api-burst=200",
        "--profiling=false",
      ],
    },
    {
      name: "kube-scheduler",
      binary: "kube-scheduler",
      port: p("kube-scheduler"),
      health: url("https", p("kube-scheduler"), "/healthz"),
      args: [
        `--kubeconfig=${i.kubeconfigs["kube-scheduler"]}`,
        `--bind-address=${loopback}`,
        `--secure-port=${p("kube-scheduler")}`,
        `--cert-dir=${join(i.layout.config, "kube-scheduler-certs")}`,
        "--leader-elect=false",
        "--profiling=false",
      ],
    },
    {
      name: "kwok",
      binary: "kwok",
      port: p("kwok"),
      health: url("http", p("kwok"), "/healthz"),
      args: [
        `--kubeconfig=${i.kubeconfigs.kwok}`,
        `--config=${i.kwokConfig}`,
        "--manage-all-nodes=false",
        "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
        "--cidr=10.0.0.1/24",
        // The nodes' InternalIP and kubelet port point at kwok's own server, which serves pod logs (from the
        // files its Logs/ClusterLogs objects name) over TLS on the same port as its plain-HTTP health check.
        `--node-ip=${loopback}`,
        `--node-port=${p("kwok")}`,
        `--server-address=${loopback}:${p("kwok")}`,
        // The API server does not verify a kubelet's certificate (no --kubelet-certificate-authority), so
        // kwok reuses the API server's serving pair (SAN 127.0.0.1) rather than adding one to the kept PKI.
        `--tls-cert-file=${i.pki.apiserver.cert}`,
        `--tls-private-key-file=${i.pki.apiserver.key}`,
        `--enable-crds=${kwokCrdKinds.join(",")}`,
      ],
    },
  ];
}
