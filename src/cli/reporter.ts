import { type Palette, palette } from "./colour.ts";

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Flux's progress markers on stderr: ► action, ✚ generate, ◎ waiting, ✔ success, ⚠️ warning, ✗ failure. */
export class Reporter {
  readonly stream: Stream;
  readonly colours: Palette;
  readonly silent: boolean;

  constructor(stream: Stream = process.stderr, opts: { silent?: boolean } = {}) {
    this.stream = stream;
    this.colours = palette(stream);
    this.silent = opts.silent ?? false;
  }

  action(message: string): void {
    this.#line(this.colours.cyan("►"), message);
  }

  generate(message: string): void {
    this.#line(this.colours.cyan("✚"), message);
  }

  waiting(message: string): void {
    this.#line(this.colours.yellow("◎"), message);
  }

  success(message: string): void {
    this.#line(this.colours.green("✔"), message);
  }

  warning(message: string): void {
    this.#line(this.colours.yellow("⚠️"), message);
  }

  failure(message: string): void {
    this.#line(this.colours.red("✗"), message);
  }

  #line(marker: string, message: string): void {
    if (!this.silent) this.stream.write(`${marker} ${message}\n`);
  }
}
