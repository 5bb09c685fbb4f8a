import { Command, InvalidArgumentError, Option } from "commander";
import { parseDigestAlgorithm } from "../runtime/artifact/digest_algorithm.ts";
import { defaultControllerFlags } from "../runtime/controller_flags.ts";
import { loadConnection } from "../runtime/kube/kubeconfig.ts";
import { Manager } from "../runtime/manager.ts";
import { leaderElectionId } from "../runtime/ops/leader_election_id.ts";
import { createLogger, type LogEncoding, type LogLevel } from "../runtime/ops/logger.ts";
import { controllerSets } from "./controller_sets.ts";
import { parseDurationFlag, parseIntFlag, parseSizeFlag } from "./flag_parsers.ts";
import { devKubeconfigFallback } from "./connection.ts";
import { toolBinary } from "../dev/build_tools.ts";
import { parseSshAlgorithmList } from "../source/git/ssh_algorithms.ts";

/** `sluice controllers`: every controller (or a chosen set) in one process, with Flux's flags. */
export function controllersCommand(): Command {
  return new Command("controllers")
    .description("run the Sluice controllers against a cluster")
    .option("--controllers <names>", `comma-separated subset of: ${Object.keys(controllerSets).join(", ")}`, Object.keys(controllerSets).join(","))
    .option("--kubeconfig <path>", "kubeconfig to use (default: KUBECONFIG, in-cluster, the dev cluster, ~/.kube/config)")
    .option("--concurrent <n>", "reconciles at once per controller", parseIntFlag, 10)
    .option("--requeue-dependency <duration>", "retry delay while a dependency is not ready", parseDurationFlag, 30_000)
    .option("--watch-all-namespaces", "watch every namespace (default true)", true)
    .option("--no-watch-all-namespaces", "watch only the runtime namespace")
    .option("--namespace <ns>", "the runtime namespace (leases; the only one watched with --no-watch-all-namespaces)", process.env.RUNTIME_NAMESPACE ?? "flux-system")
    .option("--watch-label-selector <selector>", "reconcile only objects with these labels (sharding)")
    .option("--no-cross-namespace-refs", "refuse references to objects in other namespaces")
    .addOption(new Option("--cross-namespace-refs").hideHelp())
    .option("--default-service-account <name>", "service account impersonated when an object names none")
    .option("--sops-age-secret <name>", "The name of a Kubernetes secret in the RUNTIME_NAMESPACE containing a SOPS age decryption key for fallback usage.")
    .option("--no-remote-bases", "refuse kustomize bases outside the source artifact")
    .addOption(new Option("--remote-bases").hideHelp())
    .option("--insecure-kubeconfig-exec", "run exec credential plugins of spec.kubeConfig kubeconfigs (runs commands a Secret names)", false)
    .option("--insecure-kubeconfig-tls", "honour insecure-skip-tls-verify and http:// servers in spec.kubeConfig kubeconfigs", false)
    .option("--kustomize-binary <path>", "kustomize executable used for builds (default: the dev tool cache's, else kustomize on PATH)", toolBinary("kustomize"))
    .option("--events-addr <url>", "where events are POSTed (a notification controller)")
    .option("--metrics-addr <addr>", "address for /metrics", ":8080")
    .option("--health-addr <addr>", "address for /healthz and /readyz", ":9440")
    .option("--enable-leader-election", "hold a Lease so that one replica reconciles", false)
    .addOption(new Option("--no-enable-leader-election").hideHelp())
    .option("--leader-election-lease-duration <duration>", "how long a lease is valid", parseDurationFlag, 35_000)
    .option("--leader-election-renew-deadline <duration>", "how long the leader keeps trying to renew", parseDurationFlag, 30_000)
    .option("--leader-election-retry-period <duration>", "how often leaders renew and candidates retry", parseDurationFlag, 5_000)
    .option("--storage-path <path>", "where the source controller keeps artifacts", "/data")
    .option("--storage-addr <addr>", "where the artifact server listens", ":9090")
    .option("--storage-adv-addr <host>", "host[:port] advertised in artifact URLs")
    .option("--artifact-retention-ttl <duration>", "how long superseded artifacts are kept", parseDurationFlag, 60_000)
    .option("--artifact-retention-records <n>", "how many artifacts per object are kept", parseIntFlag, 2)
    .option("--git-max-clone-size <size>", "largest Git checkout the source controller accepts", parseSizeFlag, 1024 ** 3)
    .option("--artifact-max-size <size>", "largest artifact the source controller packages", parseSizeFlag, 256 * 1024 ** 2)
    .option("--artifact-digest-algo <algo>", "digest of artifacts: sha256, sha384, sha512 or blake3 (blake3 runs in JavaScript: about 40 MB/s here against 750 MB/s for sha256, so choose it only to match other tools)", flagParser(parseDigestAlgorithm), "sha256")
    .option("--ssh-kex-algos <list>", "comma-separated key exchange algorithms for git over SSH (default: ssh's)", flagParser(parseSshAlgorithmList))
    .option("--ssh-hostkey-algos <list>", "comma-separated host key algorithms for git over SSH (default: ssh's)", flagParser(parseSshAlgorithmList))
    .option("--kube-api-qps <n>", "sustained API requests per second", parseIntFlag, 50)
    .option("--kube-api-burst <n>", "API requests allowed in a burst", parseIntFlag, 300)
    .addOption(new Option("--log-level <level>", "log level").choices(["trace", "debug", "info", "warn", "error"]).default("info"))
    .addOption(new Option("--log-encoding <encoding>", "log format: json lines, or console for one readable line per entry").choices(["json", "console"]).default("json"))
    .addHelpText("after", "\nExample:\n  sluice controllers --controllers=source,kustomize --storage-path=/tmp/artifacts --storage-adv-addr=127.0.0.1:9090")
    .action(async (o) => {
      const names = String(o.controllers).split(",").map((s: string) => s.trim()).filter(Boolean);
      for (const n of names) if (!controllerSets[n]) throw new Error(`unknown controller ${JSON.stringify(n)}; known: ${Object.keys(controllerSets).join(", ")}`);
      const manager = new Manager({
        connection: loadConnection({ kubeconfig: o.kubeconfig, fallbackPaths: devKubeconfigFallback() }),
        name: "sluice",
        qps: o.kubeApiQps,
        burst: o.kubeApiBurst,
        concurrent: o.concurrent,
        namespace: o.watchAllNamespaces ? undefined : o.namespace,
        labelSelector: o.watchLabelSelector,
        eventsAddr: o.eventsAddr,
        metricsAddr: o.metricsAddr,
        healthAddr: o.healthAddr,
        leaderElection: o.enableLeaderElection
          ? {
              namespace: o.namespace,
              leaseName: leaderElectionId(`sluice-${names.join("-")}`, o.watchLabelSelector),
              leaseDurationMs: o.leaderElectionLeaseDuration,
              renewDeadlineMs: o.leaderElectionRenewDeadline,
              retryPeriodMs: o.leaderElectionRetryPeriod,
            }
          : undefined,
        log: createLogger(o.logLevel as LogLevel, undefined, { encoding: o.logEncoding as LogEncoding }),
      });
      const flags = defaultControllerFlags({
        requeueDependencyMs: o.requeueDependency,
        noCrossNamespaceRefs: o.crossNamespaceRefs === false,
        defaultServiceAccount: o.defaultServiceAccount,
        noRemoteBases: o.remoteBases === false,
        insecureKubeconfigExec: o.insecureKubeconfigExec === true,
        insecureKubeconfigTls: o.insecureKubeconfigTls === true,
        kustomizeBinary: o.kustomizeBinary,
        storagePath: o.storagePath,
        storageAddr: o.storageAddr,
        storageAdvAddr: o.storageAdvAddr,
        artifactRetentionTtlMs: o.artifactRetentionTtl,
        artifactRetentionRecords: o.artifactRetentionRecords,
        gitMaxCloneBytes: o.gitMaxCloneSize,
        artifactMaxBytes: o.artifactMaxSize,
        artifactDigestAlgo: o.artifactDigestAlgo,
        sshKexAlgos: o.sshKexAlgos ?? [],
        sshHostKeyAlgos: o.sshHostkeyAlgos ?? [],
        runtimeNamespace: o.namespace,
        sopsAgeSecret: o.sopsAgeSecret,
      });
      for (const n of names) await controllerSets[n](manager, flags);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        manager.log.info({ signal }, "shutting down");
        await manager.stop();
        process.exit(0);
      };
      process.on("SIGTERM", () => void stop("SIGTERM"));
      process.on("SIGINT", () => void stop("SIGINT"));
      await manager.start();
    });
}

/** A parser whose errors commander reports as a bad flag value (one line, the flag named). */
function flagParser<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}
