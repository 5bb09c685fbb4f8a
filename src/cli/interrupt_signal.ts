/** An AbortSignal that fires on Ctrl-C or SIGTERM, so a watch ends cleanly with exit code 0. */
export function interruptSignal(): AbortSignal {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  abort.signal.addEventListener("abort", () => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  });
  return abort.signal;
}
