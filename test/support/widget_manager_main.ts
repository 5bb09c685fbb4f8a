/**
 * A manager process running the test Widget controller, for tests that need managers in child
 * processes (leader election). JSON logs go to stdout.
 *
 *   node widget_manager_main.ts <kubeconfig> <namespace> <identity> [leaseDurationMs]
 *
 * Watches <namespace>, holds the Lease "widget-leader-election" there, and writes <identity> to
 * status.reconciledBy of every widget it reconciles. SIGTERM stops it gracefully.
 */
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { Manager } from "../../src/runtime/manager.ts";
import { widgetReconciler } from "./test_crd.ts";

const [kubeconfig, namespace, identity, leaseDuration = "4000"] = process.argv.slice(2);
if (!kubeconfig || !namespace || !identity) {
  process.stderr.write("usage: widget_manager_main.ts <kubeconfig> <namespace> <identity> [leaseDurationMs]\n");
  process.exit(2);
}
const leaseDurationMs = Number(leaseDuration);
const manager = new Manager({
  connection: fromKubeconfigFile(kubeconfig),
  name: `widget-${identity}`,
  namespace,
  qps: 0,
  logLevel: "info",
  backoff: { baseMs: 200, maxMs: 5_000 },
  shutdownTimeoutMs: 5_000,
  leaderElection: {
    namespace,
    leaseName: "widget-leader-election",
    leaseDurationMs,
    renewDeadlineMs: Math.round(leaseDurationMs * 0.75),
    retryPeriodMs: Math.round(leaseDurationMs / 8),
  },
});
manager.log.info({ identity }, "starting");
manager.add(widgetReconciler({ identity }).reconciler);
process.on("SIGTERM", () => {
  void manager.stop().then(() => process.exit(0));
});
await manager.start(() => {
  manager.log.error({ identity }, "lost leadership; exiting");
  process.exit(1);
});
manager.log.info({ identity }, "leading");
