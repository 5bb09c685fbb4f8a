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
  if (/Authentication failed|could not read (Username|Password)|terminal prompts disabled|HTTP 40[13]|returned error: 40[13]|Permission denied \(publickey|Permission denied, please try again|incorrect passphrase/i.test(text)) {
    return `authentication to '${url}' failed: the credentials were missing or rejected (${said})`;
  }
  if (/Could not resolve host|Connection refused|Failed to connect|Connection timed out|Network is unreachable|Connection reset|Could not read from remote repository|No route to host|SSL certificate problem|server certificate verification failed|unable to access/i.test(text)) {
    return `unable to reach '${url}' (${said})`;
  }
  return said;
}
