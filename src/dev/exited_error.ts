import { DevError } from "./dev_error.ts";

const bindFailure = /address already in use|bind: |listen tcp .*: bind/i;

/**
 * The error for a component that exited while starting: its name, what to do, and the last lines of its
 * log. A port that would not bind gets its own advice.
 */
export function exitedError(component: { name: string; port: number; log: string }, logTail: string): DevError {
  const hint = bindFailure.test(logTail)
    ? `port ${component.port} would not bind: another process holds it (see \`ss -ltnp | grep :${component.port}\`). Stop that process, or run \`sluice dev down\` and \`sluice dev up\` again (a free port is picked).`
    : `see ${component.log}; \`sluice dev reset\` starts from scratch if its data is damaged.`;
  return new DevError(`${component.name} exited early: ${hint}\n--- last lines of ${component.log} ---\n${logTail}`);
}
