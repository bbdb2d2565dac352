/**
 * Reads the launch out of a smithery.yaml `commandFunction`: a small JavaScript arrow function
 * such as `config => ({ command: 'npx', args: ['-y', 'pkg', config.key] })`. A tokenizer and
 * bracket matching are enough for these object literals (and keep the manifest readers
 * synchronous); anything not a string literal becomes a `${…}` placeholder, which the launch
 * analysis treats as unknowable.
 */

type TokenKind = "string" | "dynamic-string" | "ident" | "punct" | "other";

interface Token {
  kind: TokenKind;
  text: string;
  /** 0-based line within the function source. */
  row: number;
}

const MAX_TOKENS = 20_000;
export const DYNAMIC = "${…}";

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let row = 0;
  let i = 0;
  while (i < source.length && tokens.length < MAX_TOKENS) {
    const c = source[i];
    if (c === "\n") {
      row++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      for (let k = i; k < stop; k++) if (source[k] === "\n") row++;
      i = stop;
    } else if (c === "'" || c === '"' || c === "`") {
      const start = row;
      let value = "";
      let dynamic = false;
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) {
        if (source[j] === "\\" && j + 1 < source.length) {
          const next = source[++j];
          value += next === "n" ? "\n" : next === "t" ? "\t" : next;
          continue;
        }
        if (source[j] === "\n") row++;
        if (c === "`" && source[j] === "$" && source[j + 1] === "{") dynamic = true;
        value += source[j];
      }
      tokens.push({ kind: dynamic ? "dynamic-string" : "string", text: value, row: start });
      i = j + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i;
      while (j < source.length && /[\w$]/.test(source[j])) j++;
      tokens.push({ kind: "ident", text: source.slice(i, j), row });
      i = j;
    } else if (source.startsWith("...", i)) {
      tokens.push({ kind: "punct", text: "...", row });
      i += 3;
    } else if ("{}[](),:?".includes(c)) {
      tokens.push({ kind: "punct", text: c, row });
      i++;
    } else {
      tokens.push({ kind: "other", text: c, row });
      i++;
    }
  }
  return tokens;
}

const OPEN: Record<string, string> = { "{": "}", "[": "]", "(": ")" };

/** Index just past the value starting at `i` (up to the next `,` or closing bracket at this level). */
function valueEnd(tokens: Token[], i: number): number {
  let depth = 0;
  for (let k = i; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== "punct") continue;
    if (OPEN[t.text]) depth++;
    else if (t.text === "}" || t.text === "]" || t.text === ")") {
      if (depth === 0) return k;
      depth--;
    } else if (t.text === "," && depth === 0) return k;
  }
  return tokens.length;
}

/** A single-token string value, else undefined. */
function stringValue(tokens: Token[], from: number, to: number): string | undefined {
  return to - from === 1 && tokens[from].kind === "string" ? tokens[from].text : undefined;
}

function arrayValue(tokens: Token[], from: number, to: number): string[] | undefined {
  if (tokens[from]?.text !== "[" || tokens[to - 1]?.text !== "]") return undefined;
  const out: string[] = [];
  let k = from + 1;
  while (k < to - 1 && out.length < 500) {
    const end = valueEnd(tokens, k);
    if (end > k) out.push(stringValue(tokens, k, end) ?? DYNAMIC);
    k = end + 1;
  }
  return out;
}

export interface CommandFunctionLaunch {
  command: string;
  args: string[];
  /** 0-based line of `command` within the function source. */
  row: number;
}

/** Every `{ command: '…', args: [...] }` object literal in the function, in source order. */
export function readCommandFunction(source: string): CommandFunctionLaunch[] {
  const tokens = tokenize(source);
  const launches: CommandFunctionLaunch[] = [];
  // One frame per open `{`: keys seen directly inside it.
  const frames: { command?: string; args?: string[]; row: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === "punct" && t.text === "{") {
      frames.push({ row: t.row });
      continue;
    }
    if (t.kind === "punct" && t.text === "}") {
      const frame = frames.pop();
      if (frame?.command !== undefined) launches.push({ command: frame.command, args: frame.args ?? [], row: frame.row });
      continue;
    }
    const frame = frames[frames.length - 1];
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const isKey =
      frame &&
      (t.kind === "ident" || t.kind === "string") &&
      next?.kind === "punct" &&
      next.text === ":" &&
      prev?.kind === "punct" &&
      (prev.text === "{" || prev.text === ",");
    if (!isKey || (t.text !== "command" && t.text !== "args")) continue;
    const end = valueEnd(tokens, i + 2);
    if (t.text === "command") {
      const value = stringValue(tokens, i + 2, end);
      if (value !== undefined) {
        frame.command = value;
        frame.row = t.row;
      }
    } else {
      frame.args = arrayValue(tokens, i + 2, end) ?? [];
    }
  }
  return launches.slice(0, 20);
}
