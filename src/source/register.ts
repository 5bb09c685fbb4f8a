import { mkdir } from "node:fs/promises";
import { parseDigestAlgorithm } from "../runtime/artifact/digest_algorithm.ts";
import type { ControllerFlags } from "../runtime/controller_flags.ts";
import type { Manager } from "../runtime/manager.ts";
import { GitHubAppTokens } from "./git/github_app.ts";
import { checkSshAlgorithms } from "./git/ssh_algorithms.ts";
import { gitRepositoryReconciler } from "./git_repository/git_repository_reconciler.ts";
import { ArtifactServer } from "./storage/artifact_server.ts";
import { ArtifactStorage } from "./storage/artifact_storage.ts";

/**
 * Adds the source controllers (GitRepository) and the artifact server to a manager. Flags that
 * cannot work (an unknown digest or SSH algorithm) fail here, at start-up, with the flag named.
 */
export async function registerSourceController(manager: Manager, flags: ControllerFlags): Promise<void> {
  try {
    parseDigestAlgorithm(flags.artifactDigestAlgo);
  } catch (err) {
    throw new Error(`--artifact-digest-algo: ${(err as Error).message}`);
  }
  await checkSshAlgorithms({ kex: flags.sshKexAlgos, hostKey: flags.sshHostKeyAlgos });
  await mkdir(flags.storagePath, { recursive: true });
  const storage = new ArtifactStorage(flags.storagePath, {
    ttlMs: flags.artifactRetentionTtlMs,
    records: flags.artifactRetentionRecords,
  });
  const server = new ArtifactServer({ root: flags.storagePath, addr: flags.storageAddr, advAddr: flags.storageAdvAddr });
  manager.addRunnable(server);
  manager.add(gitRepositoryReconciler({ storage, server, flags, githubTokens: new GitHubAppTokens() }));
}
