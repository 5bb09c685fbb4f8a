// Run detached by startDevCluster({ stopWhenProcessExits }): stops the cluster once its owner is gone.
// argv: <stateDir> <ownerPid> <remove|keep>
import { setTimeout as sleep } from "node:timers/promises";
import { stopDevCluster } from "./cluster.ts";
import { isAlive } from "./processes.ts";

const [stateDir, owner, mode] = process.argv.slice(2);
const ownerPid = Number(owner);
if (!stateDir || !ownerPid) {
  console.error("usage: cluster_watchdog.ts <stateDir> <ownerPid> <remove|keep>");
  process.exit(2);
}
while (isAlive(ownerPid)) await sleep(500);
console.error(`${new Date().toISOString()} owner ${ownerPid} exited; stopping the dev cluster in ${stateDir}`);
await stopDevCluster({ stateDir, removeStateDir: mode === "remove", progress: (l) => console.error(l) });
