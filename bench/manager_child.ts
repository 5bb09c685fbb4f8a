/**
 * The benches run the manager in a child process (so its RSS and CPU are its own) and talk to it
 * over IPC: "stats" answers with whatever the child measures, "stop" stops the manager and exits.
 */
import type { ChildProcess } from "node:child_process";
import type { Manager } from "../src/runtime/manager.ts";

/** In the child: answers "stats" and "stop", starts the manager, then tells the parent it has started. */
export async function serveManager(manager: Manager, stats: () => Promise<unknown> | unknown): Promise<void> {
  process.on("message", async (msg) => {
    if (msg === "stats") {
      process.send!(await stats());
    } else if (msg === "stop") {
      await manager.stop();
      process.exit(0);
    }
  });
  await manager.start(() => undefined);
  process.send!("started");
}

/** In the parent: the child's next message (first of all, "started"). */
export function nextMessage<T = unknown>(child: ChildProcess): Promise<T> {
  return new Promise((resolve) => child.once("message", (m) => resolve(m as T)));
}

/** In the parent: the child's stats now. */
export function childStats<T>(child: ChildProcess): Promise<T> {
  const answer = nextMessage<T>(child);
  child.send("stats");
  return answer;
}
