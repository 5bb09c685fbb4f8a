/**
 * Kubernetes label-selector expressions (`app=web,tier!=db`, `env in (a,b)`, `!legacy`, `n>3`),
 * with the API server's grammar and key/value validation. Used for label and annotation selectors.
 */

/** A selector string that does not parse. */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabelSelectorError";
  }
}

/** Whether a label (or annotation) set matches a parsed selector. */
export type LabelPredicate = (labels: Readonly<Record<string, string>> | undefined) => boolean;

type Op = "exists" | "!exists" | "=" | "!=" | "in" | "notin" | ">" | "<";
interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

/** Parses `selector`; the empty selector matches everything. Throws a LabelSelectorError naming the problem. */
export function parseLabelSelector(selector: string): LabelPredicate {
  const reqs = parseRequirements(selector);
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

function matches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case "exists":
      return has;
    case "!exists":
      return !has;
    case "=":
    case "in":
      return has && r.values.includes(v);
    case "!=":
    case "notin":
      return !has || !r.values.includes(v);
    case ">":
    case "<": {
      if (!has || !/^[-+]?\d+$/.test(v)) return false;
      const n = BigInt(v);
      const want = BigInt(r.values[0]);
      return r.op === ">" ? n > want : n < want;
    }
  }
}

type Token = { kind: "id" | "sym" | "end"; text: string };

const symbols = ["!=", "==", "!", "=", ">", "<", "(", ")", ","];
const special = new Set(["!", "=", ">", "<", "(", ")", ","]);

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    if (/\s/.test(s[i])) {
      i++;
      continue;
    }
    const sym = symbols.find((x) => s.startsWith(x, i));
    if (sym) {
      out.push({ kind: "sym", text: sym });
      i += sym.length;
      continue;
    }
    let j = i;
    while (j < s.length && !special.has(s[j]) && !/\s/.test(s[j])) j++;
    out.push({ kind: "id", text: s.slice(i, j) });
    i = j;
  }
  out.push({ kind: "end", text: "end of string" });
  return out;
}

function parseRequirements(selector: string): Requirement[] {
  const toks = tokenize(selector);
  let pos = 0;
  const peek = () => toks[pos];
  const next = () => toks[Math.min(pos++, toks.length - 1)];
  const fail = (found: Token, expected: string): never => {
    throw new LabelSelectorError(`unable to parse requirement: found '${found.text}', expected: ${expected}`);
  };
  const reqs: Requirement[] = [];
  if (peek().kind === "end") return reqs;
  for (;;) {
    let tok = next();
    let negated = false;
    if (tok.kind === "sym" && tok.text === "!") {
      negated = true;
      tok = next();
    }
    if (tok.kind !== "id" || tok.text === "in" || tok.text === "notin") fail(tok, "!, identifier, or 'end of string'");
    const key = tok.text;
    checkKey(key);
    const after = peek();
    let req: Requirement;
    if (negated || after.kind === "end" || (after.kind === "sym" && after.text === ",")) {
      if (negated && !(after.kind === "end" || after.text === ",")) fail(after, "',' or 'end of string'");
      req = { key, op: negated ? "!exists" : "exists", values: [] };
    } else {
      const opTok = next();
      const op = operator(opTok);
      if (!op) fail(opTok, "=, !=, ==, in, notin, >, <");
      req = { key, op: op!, values: op === "in" || op === "notin" ? setValues() : [exactValue()] };
      if ((op === "in" || op === "notin") && req.values.length === 0) throw new LabelSelectorError(`key ${JSON.stringify(key)}: for 'in', 'notin' operators, values set can't be empty`);
      if ((op === ">" || op === "<") && !/^[-+]?\d+$/.test(req.values[0])) throw new LabelSelectorError(`key ${JSON.stringify(key)}: for 'Gt', 'Lt' operators, the value must be an integer, not ${JSON.stringify(req.values[0])}`);
    }
    if (req.op !== ">" && req.op !== "<") req.values.forEach(checkValue);
    reqs.push(req);
    const sep = next();
    if (sep.kind === "end") return reqs;
    if (sep.text !== ",") fail(sep, "',' or 'end of string'");
  }

  function exactValue(): string {
    const t = peek();
    if (t.kind === "end" || (t.kind === "sym" && t.text === ",")) return "";
    const v = next();
    if (v.kind !== "id") fail(v, "identifier");
    return v.text;
  }

  function setValues(): string[] {
    const open = next();
    if (open.text !== "(" || open.kind !== "sym") fail(open, "'('");
    const values: string[] = [];
    if (peek().kind === "sym" && peek().text === ")") {
      next();
      return values;
    }
    for (;;) {
      const t = peek();
      if (t.kind === "id") {
        values.push(next().text);
      } else if (t.kind === "sym" && (t.text === "," || t.text === ")")) {
        values.push("");
      } else {
        fail(t, "identifier, ',' or ')'");
      }
      const sep = next();
      if (sep.kind === "sym" && sep.text === ")") return values;
      if (!(sep.kind === "sym" && sep.text === ",")) fail(sep, "',' or ')'");
    }
  }
}

function operator(t: Token): Op | undefined {
  if (t.kind === "id") return t.text === "in" ? "in" : t.text === "notin" ? "notin" : undefined;
  return ({ "=": "=", "==": "=", "!=": "!=", ">": ">", "<": "<" } as Record<string, Op>)[t.text];
}

const namePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A qualified name: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
function checkKey(key: string): void {
  const slash = key.indexOf("/");
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
  const bad = (why: string) => new LabelSelectorError(`invalid label key ${JSON.stringify(key)}: ${why}`);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !dnsSubdomain.test(prefix))) {
    throw bad("the prefix must be a DNS subdomain (lower case alphanumerics, '-' and '.', at most 253 characters)");
  }
  if (name.length === 0 || name.length > 63 || !namePart.test(name)) {
    throw bad("the name must be at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric");
  }
}

function checkValue(value: string): void {
  if (value === "") return;
  if (value.length > 63 || !namePart.test(value)) {
    throw new LabelSelectorError(`invalid label value ${JSON.stringify(value)}: at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`);
  }
}
