import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Starts a program in its own process group with stdout and stderr going to `logFile` (truncated), and
 * lets it outlive this process. Returns its pid.
 */
export function startDetached(bin: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): number {
  const fd = openSync(logFile, "w");
  try {
    const child = spawn(bin, args, { detached: true, stdio: ["ignore", fd, fd], env });
    if (child.pid === undefined) throw new Error(`could not start ${bin}`);
    // Reap it if it dies while we are still around, so that a dead child never looks alive.
    child.on("error", () => {});
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/**
 * True when `pid` runs and is not a zombie. With `exe`, also checks (on Linux) that the process runs
 * that program, so a pid reused by something else is not mistaken for ours.
 */
export function isAlive(pid: number | undefined, exe?: string): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM" && !exe;
  }
  const proc = `/proc/${pid}`;
  if (!existsSync(proc)) return true;
  try {
    const stat = readFileSync(`${proc}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") return false;
    if (exe) {
      const argv0 = readFileSync(`${proc}/cmdline`, "utf8").split("\0")[0];
      return argv0 === exe;
    }
  } catch {
    return false;
  }
  return true;
}

/** SIGTERM to the process group of `pid`, then SIGKILL after `timeoutMs`; resolves once it is gone. */
export async function stopProcess(pid: number, exe?: string, timeoutMs = 10_000): Promise<void> {
  if (!isAlive(pid, exe)) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid, exe)) {
    if (Date.now() > deadline) {
      signal("SIGKILL");
      const killDeadline = Date.now() + 5_000;
      while (isAlive(pid, exe) && Date.now() < killDeadline) await sleep(50);
      if (isAlive(pid, exe)) throw new Error(`process ${pid} (${exe ?? "?"}) did not exit after SIGKILL`);
      return;
    }
    await sleep(50);
  }
}

/** The last `lines` lines of a (log) file, or "" when it cannot be read. */
export async function tailFile(path: string, lines = 20): Promise<string> {
  try {
    const fh = await open(path, "r");
    try {
      const { size } = await fh.stat();
      const length = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(length);
      await fh.read(buf, 0, length, size - length);
      return buf.toString("utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } finally {
      await fh.close();
    }
  } catch {
    return "";
  }
}

/** Pids (Linux: from /proc) of live processes whose argv satisfies `match`; [] where /proc is missing. */
export function findProcesses(match: (argv: string[]) => boolean): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const e of entries) {
    try {
      const argv = readFileSync(`/proc/${e}/cmdline`, "utf8").split("\0").filter((a) => a.length > 0);
      if (argv.length > 0 && match(argv) && isAlive(Number(e))) pids.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
