import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";

/** Always left out of Git artifacts. */
export const vcsPatterns = [".git/", ".gitignore", ".gitmodules", ".gitattributes"];

/** Left out only when neither .sourceignore files nor spec.ignore give any pattern (Flux's rule). */
export const defaultPatterns = [
  "*.jpg", "*.jpeg", "*.gif", "*.png", "*.wmv", "*.flv", "*.tar.gz", "*.zip",
  ".github/", ".circleci/", ".travis.yml", ".gitlab-ci.yml", "appveyor.yml", ".drone.yml", "cloudbuild.yaml",
  "codeship-services.yml", "codeship-steps.yml",
  "**/.goreleaser.yml", "**/.sops.yaml", "**/.flux.yaml",
];

export const sourceIgnoreFile = ".sourceignore";

interface Layer {
  /** Directory the patterns apply to, "" or "dir/sub/". */
  domain: string;
  rules: Ignore;
}

/**
 * The ignore predicate for a checked-out tree, in Flux's order: VCS patterns, then (only when
 * the user gave none) the defaults, then every .sourceignore scoped to its directory (parents
 * first), then spec.ignore; a later matching rule wins, so `!pattern` re-includes.
 */
export async function loadSourceIgnore(root: string, specIgnore?: string): Promise<(path: string, isDir: boolean) => boolean> {
  const files = await findSourceIgnoreFiles(root, "");
  const user: Layer[] = [];
  for (const domain of files) {
    const text = await readFile(join(root, domain, sourceIgnoreFile), "utf8");
    if (patternsOf(text).length > 0) user.push({ domain, rules: ignore().add(patternsOf(text)) });
  }
  if (specIgnore && patternsOf(specIgnore).length > 0) user.push({ domain: "", rules: ignore().add(patternsOf(specIgnore)) });
  const layers: Layer[] = [{ domain: "", rules: ignore().add(vcsPatterns) }];
  if (user.length === 0) layers.push({ domain: "", rules: ignore().add(defaultPatterns) });
  layers.push(...user);
  return (path, isDir) => {
    const p = isDir && !path.endsWith("/") ? `${path}/` : path;
    let ignored = false;
    for (const { domain, rules } of layers) {
      if (!p.startsWith(domain) || p === domain) continue;
      const r = rules.test(p.slice(domain.length));
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    return ignored;
  };
}

function patternsOf(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.startsWith("#"));
}

async function findSourceIgnoreFiles(root: string, rel: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (entries.some((e) => e.isFile() && e.name === sourceIgnoreFile)) found.push(rel);
  for (const e of entries) {
    if (e.isDirectory() && e.name !== ".git") found.push(...(await findSourceIgnoreFiles(root, `${rel}${e.name}/`)));
  }
  return found;
}
