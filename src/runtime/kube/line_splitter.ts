/** Cuts text arriving in chunks into whole lines (without their "\n" or "\r\n"). */
export class LineSplitter {
  #rest = "";

  /** The lines a chunk completes; a partial last line waits for the next chunk. */
  push(chunk: string): string[] {
    const parts = (this.#rest + chunk).split("\n");
    this.#rest = parts.pop() ?? "";
    return parts.map((l) => l.replace(/\r$/, ""));
  }

  /** The last line, when the text did not end with a newline. */
  end(): string[] {
    const rest = this.#rest.replace(/\r$/, "");
    this.#rest = "";
    return rest === "" ? [] : [rest];
  }
}
