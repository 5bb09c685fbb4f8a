import { GitCommandError } from "./run_git.ts";

/** What went wrong talking to a remote, in words a user can act on (git's own words follow). */
export function describeGitFailure(err: unknown, url: string): string {
  if (!(err instanceof GitCommandError)) return err instanceof Error ? err.message : String(err);
  if (err.tooLarge || err.aborted) return err.message;
  const text = err.stderr;
  const said = err.message;
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known/i.test(text)) {
    return `host key verification failed for '${url}': the key the server presented is not in the Secret's known_hosts (${said})`;
  }
  const negotiation = /Unable to negotiate with [^:]*: no matching ([^.]+?) found\.(?: Their offer: (\S+))?/i.exec(text);
  if (negotiation) {
    const [, what, offer] = negotiation;
    const flag = /host key/i.test(what) ? "--ssh-hostkey-algos" : /key exchange/i.test(what) ? "--ssh-kex-algos" : undefined;
    // kex-strict-* and ext-info-* are protocol markers, not algorithms anyone could allow.
    const offered = (offer ?? "").split(",").filter((a) => a && !/^(kex-strict|ext-info)-/.test(a));
    const offers = `the server offers ${offered.join(",") || "none"}`;
    const hint = flag ? `${offers}, none of them in ${flag} (or ssh's defaults when the flag is unset)` : offers;
    return `SSH negotiation with '${url}' failed: no matching ${what} found; ${hint}`;
  }
  if (/Authentication failed|could not read (Username|Password)|terminal prompts disabled|HTTP 40[13]|returned error: 40[13]|Permission denied \(publickey|Permission denied, please try again|incorrect passphrase/i.test(text)) {
    return `authentication to '${url}' failed: the credentials were missing or rejected (${said})`;
  }
  if (/Could not resolve host|Connection refused|Failed to connect|Connection timed out|Network is unreachable|Connection reset|Could not read from remote repository|No route to host|SSL certificate problem|server certificate verification failed|unable to access/i.test(text)) {
    return `unable to reach '${url}' (${said})`;
  }
  return said;
}
