import { cp, lstat } from "node:fs/promises";
import { relative, sep } from "node:path";
import { loadSourceIgnore } from "../source/ignore/source_ignore.ts";

/**
 * Commander accumulator for `--ignore-paths`: gitignore patterns, repeatable or a comma list
 * (as flux takes them).
 */
export function parseIgnorePaths(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(",").map((p) => p.trim()).filter((p) => p !== "")];
}

/**
 * Copies the tree at `root` to `dest` leaving out what the source controller would leave out of
 * an artifact whose spec.ignore is `patterns`: .git, then the tree's .sourceignore files, then
 * the patterns (a later rule wins, so `!pattern` re-includes). Symlinks are copied as links.
 */
export async function copyIgnoring(root: string, dest: string, patterns: string[]): Promise<void> {
  const ignored = await loadSourceIgnore(root, patterns.join("\n"));
  await cp(root, dest, {
    recursive: true,
    verbatimSymlinks: true,
    filter: async (src) => {
      const rel = relative(root, src).split(sep).join("/");
      if (rel === "") return true;
      return !ignored(rel, (await lstat(src)).isDirectory());
    },
  });
}
