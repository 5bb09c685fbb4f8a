import type { GitRepository } from "../../api/source/git_repository.ts";
import type { ReconcileContext } from "../../runtime/controller/reconciler.ts";
import { type GitAuth, GitAuthError, gitAuthFromSecret } from "../git/git_auth.ts";
import { gitHubAppFromSecret, GitHubAppTokenError, hasGitHubAppData } from "../git/github_app.ts";
import { redact } from "../git/redact.ts";
import type { GitRepositoryDeps } from "./git_repository_deps.ts";
import { readSecret } from "./read_secret.ts";
import { sourceConditions as c, sourceFailure } from "./source_conditions.ts";

/**
 * The auth step: the credentials for spec.url from spec.secretRef and spec.proxySecretRef, or for
 * spec.provider github an installation token (which may take a GitHub API call, bounded by
 * signal). An unsupported provider, a missing Secret or bad auth data fails with FetchFailed.
 */
export async function readAuth(obj: GitRepository, ctx: ReconcileContext, deps: GitRepositoryDeps, signal: AbortSignal): Promise<GitAuth> {
  const ns = obj.metadata.namespace!;
  if (obj.spec.serviceAccountName) {
    throw sourceFailure(obj, c.fetchFailed, "FeatureGateDisabled", "to use spec.serviceAccountName for provider authentication please enable the ObjectLevelWorkloadIdentity feature gate in the controller", { stalled: true });
  }
  const provider = obj.spec.provider ?? "generic";
  const invalidProvider = (message: string, stalled: boolean) => sourceFailure(obj, c.fetchFailed, "InvalidProviderConfiguration", message, { stalled });
  if (provider === "azure") {
    throw invalidProvider("spec.provider 'azure' authenticates with Azure workload identity, which Sluice does not support yet; use provider 'generic' with a secretRef (e.g. a personal access token as 'password')", true);
  }
  if (provider !== "generic" && provider !== "github") {
    throw invalidProvider(`spec.provider '${provider}' is not supported by Sluice yet; use 'generic' with a secretRef`, true);
  }
  const get = (name: string | undefined, what: string) => {
    if (!name) return undefined;
    const s = readSecret(obj, ctx, name);
    if (!s) throw sourceFailure(obj, c.fetchFailed, "AuthenticationFailed", `failed to get ${what} Secret '${ns}/${name}': not found`);
    return s;
  };
  let url: URL;
  try {
    url = new URL(obj.spec.url);
  } catch {
    throw sourceFailure(obj, c.fetchFailed, "URLInvalid", `spec.url '${redact(obj.spec.url, [])}' is not a valid URL`, { stalled: true });
  }
  if (provider === "github") {
    if (!obj.spec.secretRef) throw invalidProvider("secretRef with github app data must be specified when provider is set to github", true);
    if (url.protocol === "ssh:") throw invalidProvider("spec.provider 'github' authenticates over HTTPS only; spec.url is an ssh:// URL", true);
  }
  const secret = get(obj.spec.secretRef?.name, "auth");
  const proxy = get(obj.spec.proxySecretRef?.name, "proxy");
  try {
    const auth = gitAuthFromSecret(url, provider === "github" ? undefined : secret, proxy);
    if (provider !== "github") return auth;
    if (!hasGitHubAppData(secret!)) {
      throw invalidProvider(`Secret '${secret!.ref}' has no github app data (githubAppID, githubAppInstallationID or githubAppInstallationOwner, githubAppPrivateKey), which provider 'github' needs`, false);
    }
    const app = gitHubAppFromSecret(secret!, auth.proxy);
    const token = await deps.githubTokens.token(app, signal);
    return { ...auth, username: "x-access-token", password: token, caCert: app.caCert, tlsCert: app.tlsCert, tlsKey: app.tlsKey };
  } catch (err) {
    if (err instanceof GitAuthError) throw sourceFailure(obj, c.fetchFailed, err.reason, err.message);
    if (err instanceof GitHubAppTokenError || (signal.aborted && !ctx.signal.aborted)) {
      const why = signal.aborted && !ctx.signal.aborted ? `the GitHub API did not answer within spec.timeout (${obj.spec.timeout ?? "60s"})` : (err as Error).message;
      throw sourceFailure(obj, c.fetchFailed, "AuthenticationFailed", `failed to configure authentication options: ${why}`);
    }
    throw err;
  }
}
