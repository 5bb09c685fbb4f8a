import { mkdir } from "node:fs/promises";
import type { ControllerFlags } from "../runtime/controller_flags.ts";
import type { Manager } from "../runtime/manager.ts";
import { gitRepositoryReconciler } from "./git_repository/git_repository_reconciler.ts";
import { ArtifactServer } from "./storage/artifact_server.ts";
import { ArtifactStorage } from "./storage/artifact_storage.ts";

/** Adds the source controllers (GitRepository) and the artifact server to a manager. */
export async function registerSourceController(manager: Manager, flags: ControllerFlags): Promise<void> {
  await mkdir(flags.storagePath, { recursive: true });
  const storage = new ArtifactStorage(flags.storagePath, {
    ttlMs: flags.artifactRetentionTtlMs,
    records: flags.artifactRetentionRecords,
  });
  const server = new ArtifactServer({ root: flags.storagePath, addr: flags.storageAddr, advAddr: flags.storageAdvAddr });
  manager.addRunnable(server);
  manager.add(gitRepositoryReconciler({ storage, server, flags }));
}
