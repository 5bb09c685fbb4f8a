/** A substitution that cannot be done; the message names the variable or the expression. */
export class SubstitutionError extends Error {}

export interface EnvsubstOptions {
  /** Fail on a variable that is not set and has no default. */
  strict: boolean;
}

/**
 * Bash-style `${...}` substitution as Flux's post-build does it: `${var}`, defaults (`-`, `=`,
 * `:-`, `:=`), length, case, substring, prefix/suffix removal and replacement. A bare `$var` is
 * left alone; `$${var}` yields a literal `${var}`.
 */
export function envsubst(text: string, vars: Record<string, string>, opts: EnvsubstOptions): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    if (text.startsWith("$${", dollar)) {
      const end = closingBrace(text, dollar + 3);
      out += end < 0 ? text.slice(dollar + 1) : text.slice(dollar + 1, end + 1);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (text[dollar + 1] !== "{") {
      out += "$";
      i = dollar + 1;
      continue;
    }
    const end = closingBrace(text, dollar + 2);
    if (end < 0) throw new SubstitutionError(`unclosed expression ${JSON.stringify(text.slice(dollar, dollar + 40))}`);
    out += expand(text.slice(dollar + 2, end), vars, opts);
    i = end + 1;
  }
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === "{" && text[j - 1] === "$") depth++;
    else if (text[j] === "}" && --depth === 0) return j;
  }
  return -1;
}

const nameRe = /^[_a-zA-Z][_a-zA-Z0-9]*/;

function expand(expr: string, vars: Record<string, string>, opts: EnvsubstOptions): string {
  if (expr.startsWith("#")) {
    const name = expr.slice(1);
    if (!nameRe.test(name) || name.match(nameRe)![0] !== name) throw new SubstitutionError(`bad substitution \${${expr}}`);
    return String(lookup(name, vars, opts, false).length);
  }
  const m = expr.match(nameRe);
  if (!m) throw new SubstitutionError(`bad substitution \${${expr}}`);
  const name = m[0];
  const rest = expr.slice(name.length);
  const set = Object.hasOwn(vars, name);
  const value = set ? vars[name] : "";
  const sub = (s: string) => envsubst(s, vars, opts);
  if (rest === "") return lookup(name, vars, opts, false);
  if (rest.startsWith(":-") || rest.startsWith(":=")) return set && value !== "" ? value : sub(rest.slice(2));
  if (rest.startsWith("-") || rest.startsWith("=")) return set ? value : sub(rest.slice(1));
  if (rest.startsWith(":+") || rest.startsWith(":?") || rest.startsWith("+") || rest.startsWith("?")) {
    throw new SubstitutionError(`unsupported substitution \${${expr}}`);
  }
  const v = lookup(name, vars, opts, false);
  if (rest === "^^") return v.toUpperCase();
  if (rest === "^") return v.charAt(0).toUpperCase() + v.slice(1);
  if (rest === ",,") return v.toLowerCase();
  if (rest === ",") return v.charAt(0).toLowerCase() + v.slice(1);
  const substr = rest.match(/^:(-?\d+)(?::(\d+))?$/);
  if (substr) {
    const start = Number(substr[1]);
    const from = start < 0 ? Math.max(0, v.length + start) : start;
    return substr[2] === undefined ? v.slice(from) : v.slice(from, from + Number(substr[2]));
  }
  if (rest.startsWith("##")) return stripPrefix(v, sub(rest.slice(2)), true);
  if (rest.startsWith("#")) return stripPrefix(v, sub(rest.slice(1)), false);
  if (rest.startsWith("%%")) return stripSuffix(v, sub(rest.slice(2)), true);
  if (rest.startsWith("%")) return stripSuffix(v, sub(rest.slice(1)), false);
  if (rest.startsWith("/")) {
    let body = rest.slice(1);
    let mode: "first" | "all" | "start" | "end" = "first";
    if (body.startsWith("/")) [mode, body] = ["all", body.slice(1)];
    else if (body.startsWith("#")) [mode, body] = ["start", body.slice(1)];
    else if (body.startsWith("%")) [mode, body] = ["end", body.slice(1)];
    const slash = body.indexOf("/");
    const pattern = sub(slash < 0 ? body : body.slice(0, slash));
    const repl = slash < 0 ? "" : sub(body.slice(slash + 1));
    return replace(v, pattern, repl, mode);
  }
  throw new SubstitutionError(`bad substitution \${${expr}}`);
}

function lookup(name: string, vars: Record<string, string>, opts: EnvsubstOptions, _hasDefault: boolean): string {
  if (Object.hasOwn(vars, name)) return vars[name];
  if (opts.strict) throw new SubstitutionError(`variable not set (strict mode): ${JSON.stringify(name)}`);
  return "";
}

function globSource(pattern: string): string {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\");
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return re;
}

function stripPrefix(v: string, pattern: string, longest: boolean): string {
  const re = new RegExp(`^${globSource(pattern)}$`);
  const lengths = [...Array(v.length + 1).keys()];
  for (const n of longest ? lengths.reverse() : lengths) if (re.test(v.slice(0, n))) return v.slice(n);
  return v;
}

function stripSuffix(v: string, pattern: string, longest: boolean): string {
  const re = new RegExp(`^${globSource(pattern)}$`);
  const starts = [...Array(v.length + 1).keys()];
  for (const s of longest ? starts : starts.reverse()) if (re.test(v.slice(s))) return v.slice(0, s);
  return v;
}

function replace(v: string, pattern: string, repl: string, mode: "first" | "all" | "start" | "end"): string {
  if (pattern === "") return v;
  const src = globSource(pattern);
  const re = mode === "all" ? new RegExp(src, "g") : mode === "start" ? new RegExp(`^${src}`) : mode === "end" ? new RegExp(`${src}$`) : new RegExp(src);
  return v.replace(re, () => repl);
}
