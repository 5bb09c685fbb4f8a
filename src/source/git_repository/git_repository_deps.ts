import type { ControllerFlags } from "../../runtime/controller_flags.ts";
import type { GitHubAppTokens } from "../git/github_app.ts";
import type { ArtifactServer } from "../storage/artifact_server.ts";
import type { ArtifactStorage } from "../storage/artifact_storage.ts";

/** What the GitRepository controller works with: artifact storage and server, flags, GitHub App tokens. */
export interface GitRepositoryDeps {
  storage: ArtifactStorage;
  server: ArtifactServer;
  flags: ControllerFlags;
  /** Installation tokens for spec.provider: github. */
  githubTokens: GitHubAppTokens;
}
