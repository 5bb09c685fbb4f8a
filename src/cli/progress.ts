import type { Reporter } from "./reporter.ts";

const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Shows a long wait: a spinner with elapsed time on a terminal, one line per new state otherwise. */
export interface Progress {
  update(text: string): void;
  stop(): void;
}

export function startProgress(reporter: Reporter, text: string): Progress {
  const stream = reporter.stream;
  if (reporter.silent) return { update: () => undefined, stop: () => undefined };
  if (!stream.isTTY) {
    let last = "";
    const update = (t: string) => {
      if (t !== last) reporter.waiting(t);
      last = t;
    };
    update(text);
    return { update, stop: () => undefined };
  }
  const started = Date.now();
  let current = text;
  let frame = 0;
  const draw = () => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    const spin = reporter.colours.yellow(frames[frame++ % frames.length]);
    stream.write(`\r\x1b[2K${spin} ${current} ${reporter.colours.dim(`(${seconds}s)`)}`);
  };
  draw();
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    update: (t) => {
      current = t;
      draw();
    },
    stop: () => {
      clearInterval(timer);
      stream.write("\r\x1b[2K");
    },
  };
}
