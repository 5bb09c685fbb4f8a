/** A failure of the local control plane whose message says what to do about it. */
export class DevError extends Error {
  override name = "DevError";
}
