import { readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const prefix = "sluice-kustomize-";

/**
 * A scratch folder for this process's extracted artifacts and builds, named after its pid. The
 * folders of processes that are gone (killed before they could clean up) are removed on the way.
 */
export async function makeWorkDir(base = tmpdir()): Promise<string> {
  const entries = await readdir(base).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((name) => name.startsWith(prefix))
      .filter((name) => {
        const pid = Number(name.slice(prefix.length).split("-")[0]);
        return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid);
      })
      .map((name) => rm(join(base, name), { recursive: true, force: true }).catch(() => undefined)),
  );
  return join(base, `${prefix}${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
