import { type GitRepository, gitRepositoryKind } from "../../api/source/git_repository.ts";
import type { GitRepositoryDeps } from "./git_repository_deps.ts";

/** On deletion: the GitRepository's artifacts are removed from storage, under its storage lock. */
export async function finalizeGitRepository(obj: GitRepository, deps: GitRepositoryDeps): Promise<void> {
  const dir = deps.storage.dirOf(gitRepositoryKind.kind, obj.metadata.namespace!, obj.metadata.name!);
  await deps.storage.withLock(dir, () => deps.storage.removeAll(dir));
}
