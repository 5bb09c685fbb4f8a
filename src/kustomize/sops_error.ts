/** A SOPS document that cannot be decrypted; the message says which step failed. */
export class SopsError extends Error {}
