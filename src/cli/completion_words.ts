import type { Command, Option } from "commander";

/** What the words typed before the cursor say: where in the command tree they lead and what they set. */
export interface WordWalk {
  /** The deepest command the words name. */
  command: Command;
  /** Command names from the root down, without the root: ["get"], ["build", "kustomization"]. */
  path: string[];
  /** Positional words given to `command` so far. */
  args: string[];
  /** Option values by commander attribute name (namespace, allNamespaces, kubeconfig); true for switches. */
  flags: Record<string, string | boolean>;
  /** The option the word under the cursor is the value of, if any. */
  valueFor?: Option;
  /** The word under the cursor, without a leading `--flag=`. */
  current: string;
  /** What the word under the cursor starts with before `current` (`--output=`), kept on every candidate. */
  currentPrefix: string;
  /** After `--`: every word is positional. */
  positionalOnly: boolean;
}

/**
 * Walks the words after the program name through the commander tree as commander would parse them;
 * the last word is the one being completed (empty when the cursor follows a space).
 */
export function walkWords(root: Command, words: string[]): WordWalk {
  const before = words.slice(0, -1);
  const last = words.at(-1) ?? "";
  let command = root;
  const path: string[] = [];
  let args: string[] = [];
  const flags: Record<string, string | boolean> = {};
  let pending: Option | undefined;
  let positionalOnly = false;

  for (const word of before) {
    if (pending) {
      flags[pending.attributeName()] = word;
      pending = undefined;
      continue;
    }
    if (!positionalOnly && word === "--") {
      positionalOnly = true;
      continue;
    }
    if (!positionalOnly && word.startsWith("-") && word.length > 1) {
      pending = readFlag(command, word, flags);
      continue;
    }
    const sub = args.length === 0 ? findSubcommand(command, word) : undefined;
    if (sub) {
      command = sub;
      path.push(sub.name());
      args = [];
    } else args.push(word);
  }

  const walk: WordWalk = { command, path, args, flags, current: last, currentPrefix: "", positionalOnly };
  if (pending) walk.valueFor = pending;
  else if (!positionalOnly && last.startsWith("--") && last.includes("=")) {
    const eq = last.indexOf("=");
    const opt = findOption(command, last.slice(0, eq));
    if (opt && takesValue(opt)) {
      walk.valueFor = opt;
      walk.currentPrefix = last.slice(0, eq + 1);
      walk.current = last.slice(eq + 1);
    }
  }
  return walk;
}

/** Records one flag word; answers the option when its value is the next word. */
function readFlag(command: Command, word: string, flags: Record<string, string | boolean>): Option | undefined {
  if (word.startsWith("--")) {
    const eq = word.indexOf("=");
    const opt = findOption(command, eq < 0 ? word : word.slice(0, eq));
    if (!opt) return undefined;
    if (eq >= 0) flags[opt.attributeName()] = word.slice(eq + 1);
    else if (takesValue(opt) && opt.required) return opt;
    else flags[opt.attributeName()] = !opt.negate;
    return undefined;
  }
  // Short flags, possibly run together (`-Aw`) or with their value attached (`-napps`).
  for (let i = 1; i < word.length; i++) {
    const opt = findOption(command, `-${word[i]}`);
    if (!opt) return undefined;
    if (!takesValue(opt)) {
      flags[opt.attributeName()] = !opt.negate;
      continue;
    }
    const rest = word.slice(i + 1);
    if (rest) flags[opt.attributeName()] = rest;
    else if (opt.required) return opt;
    return undefined;
  }
  return undefined;
}

export function findOption(command: Command, flag: string): Option | undefined {
  return command.options.find((o) => o.long === flag || o.short === flag);
}

export function findSubcommand(command: Command, word: string): Command | undefined {
  return command.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

export function takesValue(opt: Option): boolean {
  return opt.required || opt.optional;
}

/** Whether commander hides the command from help (added with `{ hidden: true }`). */
export function isHidden(command: Command): boolean {
  return Boolean((command as unknown as { _hidden?: boolean })._hidden);
}
