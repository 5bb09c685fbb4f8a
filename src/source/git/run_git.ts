import { spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { redact } from "./redact.ts";

export interface RunGitOptions {
  cwd?: string;
  /** The whole environment of the child (build it with gitEnv). */
  env: Record<string, string>;
  signal?: AbortSignal;
  /** Values that must never appear in an error message (passwords, tokens, keys). */
  secrets?: string[];
  /** Kill git when this directory grows past maxBytes (checked while it runs). */
  sizeLimit?: { dir: string; maxBytes: number };
}

/** A failed git command; the message is free of credentials. */
export class GitCommandError extends Error {
  readonly stderr: string;
  readonly code: number | null;
  readonly tooLarge: boolean;
  readonly aborted: boolean;
  constructor(message: string, stderr: string, code: number | null, flags: { tooLarge?: boolean; aborted?: boolean } = {}) {
    super(message);
    this.name = "GitCommandError";
    this.stderr = stderr;
    this.code = code;
    this.tooLarge = flags.tooLarge ?? false;
    this.aborted = flags.aborted ?? false;
  }
}

let started = 0;

/** How many git processes this process has started (for benchmarks). */
export function gitProcessesStarted(): number {
  return started;
}

const maxOutput = 16 * 1024 * 1024;

/** Runs git with arguments that hold no secret; returns stdout. */
export async function runGit(args: string[], opts: RunGitOptions): Promise<string> {
  return (await runGitOutput(args, opts)).stdout;
}

/** Runs git; returns stdout and (redacted) stderr. */
export function runGitOutput(args: string[], opts: RunGitOptions): Promise<{ stdout: string; stderr: string }> {
  started++;
  return new Promise((resolve, reject) => {
    // Its own process group, so that a kill also reaches git's helpers (git-remote-http, ssh),
    // which hold the pipes open and would otherwise outlive a timeout.
    const child = spawn("git", args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const killAll = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = "";
    let tooLarge = false;
    let aborted = false;
    let closed = false;
    child.stdout.on("data", (c: Buffer) => {
      outBytes += c.length;
      if (outBytes <= maxOutput) out.push(c);
    });
    child.stderr.on("data", (c: Buffer) => {
      if (err.length < 64 * 1024) err += String(c);
    });
    const onAbort = () => {
      aborted = true;
      killAll();
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    let timer: NodeJS.Timeout | undefined;
    if (opts.sizeLimit) {
      const { dir, maxBytes } = opts.sizeLimit;
      const check = async () => {
        const size = await dirSize(dir).catch(() => 0);
        if (closed) return;
        if (size > maxBytes) {
          tooLarge = true;
          killAll();
          return;
        }
        timer = setTimeout(check, 250);
      };
      timer = setTimeout(check, 250);
    }
    child.on("error", (e) => reject(new GitCommandError(`could not run git: ${e.message}`, "", null)));
    child.on("close", async (code) => {
      closed = true;
      clearTimeout(timer);
      // A fetch may finish between two checks: measure once more at the end.
      if (code === 0 && opts.sizeLimit && !tooLarge) tooLarge = (await dirSize(opts.sizeLimit.dir).catch(() => 0)) > opts.sizeLimit.maxBytes;
      opts.signal?.removeEventListener("abort", onAbort);
      const stderr = redact(err, opts.secrets ?? []);
      if (code === 0 && !tooLarge && !aborted) {
        resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr });
        return;
      }
      const last = lastLines(stderr);
      const what = `git ${args[0] === "-C" ? args[2] : args[0]}`;
      if (tooLarge) reject(new GitCommandError(`${what} stopped: the repository exceeds the size limit of ${opts.sizeLimit!.maxBytes} bytes`, stderr, code, { tooLarge }));
      else if (aborted) reject(new GitCommandError(`${what} timed out or was cancelled`, stderr, code, { aborted }));
      else reject(new GitCommandError(last || `${what} exited with code ${code}`, stderr, code));
    });
  });
}

function lastLines(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("hint:") && !/^(remote: )?(Counting|Compressing|Receiving|Resolving|Enumerating|Total)|^Please make sure you have|^and the repository exists/.test(l));
  return lines.slice(-3).join("; ");
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await dirSize(p);
    else if (e.isFile()) total += (await stat(p).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
