/**
 * Escape-sequence decoding for string literals, so a rule sees what the model will read
 * (`\u200b` becomes the zero-width space it stands for). Malformed escapes are kept verbatim
 * rather than guessed.
 */

function fromCodePoint(hex: string): string | undefined {
  const code = Number.parseInt(hex, 16);
  if (!Number.isFinite(code) || code < 0 || code > 0x10ffff) return undefined;
  return String.fromCodePoint(code);
}

const SIMPLE_C: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  v: "\v",
  a: "\x07",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "`": "`",
};

/** Body of a JS/TS string or template fragment (no quotes). */
export function decodeJsEscapes(body: string): string {
  return body.replace(
    /\\(u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|0(?![0-9])|\r\n|[\n\r\u2028\u2029]|[\s\S])/g,
    (whole, seq: string, braced?: string, u4?: string, x2?: string) => {
      const hex = braced ?? u4 ?? x2;
      if (hex !== undefined) return fromCodePoint(hex) ?? whole;
      if (seq === "0") return "\0";
      if (/^(\r\n|[\n\r\u2028\u2029])$/.test(seq)) return ""; // line continuation
      if (seq in SIMPLE_C && seq !== "a") return SIMPLE_C[seq]!;
      return seq; // `\q` is just `q` in JS
    },
  );
}

/** The few character names that matter for hidden text; other `\N{...}` stay verbatim. */
const UNICODE_NAMES: Record<string, number> = {
  "ZERO WIDTH SPACE": 0x200b,
  "ZERO WIDTH NON-JOINER": 0x200c,
  "ZERO WIDTH JOINER": 0x200d,
  "WORD JOINER": 0x2060,
  "ZERO WIDTH NO-BREAK SPACE": 0xfeff,
  "LEFT-TO-RIGHT MARK": 0x200e,
  "RIGHT-TO-LEFT MARK": 0x200f,
  "LEFT-TO-RIGHT EMBEDDING": 0x202a,
  "RIGHT-TO-LEFT EMBEDDING": 0x202b,
  "POP DIRECTIONAL FORMATTING": 0x202c,
  "LEFT-TO-RIGHT OVERRIDE": 0x202d,
  "RIGHT-TO-LEFT OVERRIDE": 0x202e,
  "LEFT-TO-RIGHT ISOLATE": 0x2066,
  "RIGHT-TO-LEFT ISOLATE": 0x2067,
  "FIRST STRONG ISOLATE": 0x2068,
  "POP DIRECTIONAL ISOLATE": 0x2069,
  ESCAPE: 0x1b,
  "SOFT HYPHEN": 0xad,
  "NO-BREAK SPACE": 0xa0,
};

/** Body of a non-raw Python str literal (no prefix, no quotes). */
export function decodePyEscapes(body: string): string {
  return body.replace(
    /\\(N\{([^}]{1,80})\}|U([0-9a-fA-F]{8})|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([0-7]{1,3})|\r\n|\n|[\s\S])/g,
    (whole, seq: string, name?: string, u8?: string, u4?: string, x2?: string, oct?: string) => {
      if (name !== undefined) {
        const code = UNICODE_NAMES[name.toUpperCase()];
        return code === undefined ? whole : String.fromCodePoint(code);
      }
      const hex = u8 ?? u4 ?? x2;
      if (hex !== undefined) return fromCodePoint(hex) ?? whole;
      if (oct !== undefined) return String.fromCodePoint(Number.parseInt(oct, 8));
      if (seq === "\n" || seq === "\r\n") return "";
      if (seq in SIMPLE_C && seq !== "`") return SIMPLE_C[seq]!;
      return whole; // Python keeps unknown escapes, backslash included
    },
  );
}

/** Body of a Go interpreted string literal (no quotes). */
export function decodeGoEscapes(body: string): string {
  return body.replace(
    /\\(U([0-9a-fA-F]{8})|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([0-7]{3})|[\s\S])/g,
    (whole, seq: string, u8?: string, u4?: string, x2?: string, oct?: string) => {
      const hex = u8 ?? u4 ?? x2;
      if (hex !== undefined) return fromCodePoint(hex) ?? whole;
      if (oct !== undefined) return String.fromCodePoint(Number.parseInt(oct, 8));
      if (seq in SIMPLE_C && seq !== "`") return SIMPLE_C[seq]!;
      return whole;
    },
  );
}

/** Python `textwrap.dedent`: remove the common leading whitespace; blank lines become empty. */
export function dedent(text: string): string {
  const lines = text.split("\n");
  let margin: string | undefined;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (margin === undefined || !indent.startsWith(margin)) {
      margin = commonPrefix(margin ?? indent, indent);
    }
  }
  return lines
    .map((line) => (line.trim() === "" ? "" : margin ? line.slice(margin.length) : line))
    .join("\n");
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

/** Python `inspect.cleandoc`: what FastMCP shows as a tool description for a docstring. */
export function cleandoc(text: string): string {
  const lines = text.replace(/\t/g, "        ").split("\n");
  let margin = Infinity;
  for (const line of lines.slice(1)) {
    const content = line.trimStart();
    if (content.length > 0) margin = Math.min(margin, line.length - content.length);
  }
  const out = [lines[0]!.trimStart()];
  for (const line of lines.slice(1)) out.push(margin === Infinity ? line : line.slice(margin));
  while (out.length > 0 && out[0]!.trim() === "") out.shift();
  while (out.length > 0 && out[out.length - 1]!.trim() === "") out.pop();
  return out.join("\n");
}
