import { Command, InvalidArgumentError, Option } from "commander";
import { ApiError } from "../runtime/kube/api_error.ts";
import type { KubeObject } from "../api/meta.ts";
import { kindByWord } from "./cli_kinds.ts";
import { CliError } from "./cli_error.ts";
import { type ClusterFlags, defaultNamespace, parseNamespaceFlag, withClusterFlags } from "./cluster_flags.ts";
import { describeError } from "./describe_error.ts";
import { parseDurationFlag, parseIntFlag } from "./flag_parsers.ts";
import { interruptSignal } from "./interrupt_signal.ts";
import { parseLogLine } from "./logs_entry.ts";
import { type LogFilter, matchesLogFilter } from "./logs_filter.ts";
import { formatLogEntry } from "./logs_format.ts";
import type { Cluster } from "./open_cluster.ts";
import { runWithCluster } from "./run_with_cluster.ts";

/** The label every Sluice controller pod carries (config/manager). */
export const controllerPodSelector = "app.kubernetes.io/part-of=sluice";

/** The levels `--level` takes (any case), lowest first. */
export const logLevels = ["debug", "info", "warn", "error"];

interface LogsFlags extends ClusterFlags {
  fluxNamespace: string;
  level?: string;
  kind?: string;
  name?: string;
  /** Milliseconds. */
  since?: number;
  tail?: number;
  follow?: boolean;
}

interface Pod extends KubeObject {
  spec?: { containers?: { name: string }[] };
}

/** One container whose log is read. */
interface LogSource {
  pod: string;
  container: string;
}

const examples = `
Logs are read through the API server's pod log API (GET /api/v1/namespaces/<ns>/pods/<pod>/log),
which asks the pod's node: pods whose node cannot serve logs give an error naming the pod.

Examples:
  sluice logs -A                                   # every controller log line, formatted
  sluice logs -A --since=2m
  sluice logs --follow --level=error -A
  sluice logs --kind=Kustomization --name=podinfo --namespace=default
  sluice logs --flux-namespace=my-namespace        # Sluice installed elsewhere
`;

function parseLevel(value: string): string {
  const level = value.toLowerCase();
  if (!logLevels.includes(level)) throw new InvalidArgumentError(`want one of ${logLevels.join(", ")}, got ${JSON.stringify(value)}`);
  return level;
}

/** A Kind as typed (any case, or an alias like ks), as our kinds spell it; other kinds pass as typed. */
function parseKind(value: string): string {
  const known = kindByWord(value);
  return known ? known.def.kind : value;
}

export function logsCommand(): Command {
  const cmd = new Command("logs")
    .description("show the Sluice controllers' logs, formatted and filtered by level and object")
    .addOption(new Option("--level <level>", "only entries of this level: debug, info, warn, error").argParser(parseLevel))
    .addOption(new Option("--kind <kind>", "only entries about objects of this kind, e.g. GitRepository").argParser(parseKind))
    .option("--name <name>", "only entries about objects of this name")
    .addOption(new Option("--since <duration>", "only entries newer than this, e.g. 30s, 2m, 1h").argParser(parseDurationFlag))
    .addOption(new Option("--tail <lines>", "only the last lines of each controller's log (before filtering)").argParser(parseIntFlag))
    .option("-f, --follow", "keep printing new entries (Ctrl-C ends)")
    .addOption(
      new Option("--flux-namespace <namespace>", "namespace the controllers run in")
        .default(defaultNamespace())
        .argParser(parseNamespaceFlag),
    );
  withClusterFlags(cmd, { allNamespaces: true });
  return cmd.addHelpText("after", examples).action((flags: LogsFlags) => runWithCluster(flags, (cluster) => showLogs(cluster, flags)));
}

async function showLogs(cluster: Cluster, flags: LogsFlags): Promise<void> {
  const sources = await logSources(cluster, flags.fluxNamespace);
  const filter: LogFilter = {
    level: flags.level,
    kind: flags.kind,
    name: flags.name,
    namespace: flags.allNamespaces ? undefined : flags.namespace,
  };
  const query = {
    container: undefined as string | undefined,
    follow: flags.follow ? true : undefined,
    tailLines: flags.tail,
    sinceSeconds: flags.since !== undefined ? Math.max(1, Math.ceil(flags.since / 1000)) : undefined,
  };
  const signal = flags.follow ? interruptSignal() : undefined;
  const print = (line: string) => {
    const entry = parseLogLine(line);
    if (matchesLogFilter(entry, filter)) process.stdout.write(`${formatLogEntry(entry)}\n`);
  };
  const read = async (source: LogSource): Promise<void> => {
    const path = `/api/v1/namespaces/${flags.fluxNamespace}/pods/${source.pod}/log`;
    try {
      for await (const line of cluster.client.streamLines(path, { ...query, container: source.container }, signal)) print(line);
    } catch (err) {
      if (signal?.aborted) return;
      throw new CliError(`cannot read the logs of pod ${flags.fluxNamespace}/${source.pod} (container ${source.container}): ${reason(err, cluster)}`);
    }
  };
  if (flags.follow) {
    await Promise.all(sources.map(read));
    return;
  }
  for (const source of sources) await read(source);
}

/** Every container of the controller pods, in pod name order; none found is an error. */
async function logSources(cluster: Cluster, namespace: string): Promise<LogSource[]> {
  const pods = await cluster.api.listAll<Pod>(
    { group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true },
    namespace,
    { labelSelector: controllerPodSelector },
  );
  if (pods.items.length === 0) {
    throw new CliError(`no Sluice controller pods (label ${controllerPodSelector}) in namespace ${namespace}: is Sluice installed there? (see --flux-namespace)`);
  }
  const name = (pod: Pod) => pod.metadata.name ?? "";
  return pods.items
    .sort((a, b) => name(a).localeCompare(name(b)))
    .flatMap((pod) => (pod.spec?.containers ?? []).map((c) => ({ pod: name(pod), container: c.name })));
}

function reason(err: unknown, cluster: Cluster): string {
  if (err instanceof ApiError && err.code !== 401 && err.code !== 403) return err.message.split("\n")[0];
  return describeError(err, cluster.server);
}
