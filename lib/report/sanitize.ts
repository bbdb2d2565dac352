/**
 * Making repository-derived text inert in GitHub-flavoured markdown. Tool names, messages,
 * paths and evidence come from the scanned repository, i.e. from whoever wrote it: they must
 * not inject HTML, links, mentions (notifications), issue references (cross-links), or end our
 * hidden comments.
 */

const ZWJ = "\u200D";

/** Longest text placed inline (names, paths, one-line messages). */
export const INLINE_MAX = 300;

/** Cut to `max` characters, marking the cut; never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return text.slice(0, cut) + "…";
}

/**
 * Control and invisible characters (bidi overrides, zero-width, BOM) are shown as `\u{...}`
 * escapes: in a security report the reader must see that they are there.
 */
export function revealInvisible(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB]|\uDB40[\uDC00-\uDC7F]/g,
    (ch) => `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`,
  );
}

/** Stop `<!--` in data from opening (or faking) a hidden comment, and `-->` from closing ours. */
export function neutraliseComments(text: string): string {
  return text.replace(/<!--/g, `<!${ZWJ}--`).replace(/--!?>/g, (m) => `-${ZWJ}${m.slice(1)}`);
}

/**
 * Break what GitHub links after rendering, where backslash escapes do not help:
 * `@user` / `@org/team` mentions, `#123` / `owner/repo#123` / `GH-123` references, bare URLs.
 */
export function breakAutolinks(text: string): string {
  return text
    // GitHub only mentions after a non-word character (so `pkg@1.2.3` and emails are left alone).
    .replace(/(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])/g, `@${ZWJ}`)
    .replace(/#(?=\d)/g, `#${ZWJ}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1-${ZWJ}`)
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWJ}.`);
}

/**
 * Text that renders literally inside a paragraph, list item or table cell: one line, HTML
 * entities for `& < > "`, backslash escapes for markdown punctuation, links and mentions broken.
 */
export function escapeInline(text: string, max = INLINE_MAX): string {
  const oneLine = String(text).replace(/\r\n?|\n/g, " ").replace(/\s+/g, " ").trim();
  return escapeChars(truncate(oneLine, max));
}

function escapeChars(text: string): string {
  const escaped = revealInvisible(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|~#]/g, "\\$&");
  return breakAutolinks(neutraliseComments(escaped));
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    if (c === ch) {
      run += 1;
      if (run > best) best = run;
    } else {
      run = 0;
    }
  }
  return best;
}

/**
 * An inline code span whose delimiter is longer than any backtick run inside, so the content
 * cannot close it. GitHub does not turn mentions or references in code into links.
 * In a table cell `|` must still be escaped: GFM splits cells before it parses code spans.
 */
export function codeSpan(text: string, opts: { table?: boolean; max?: number } = {}): string {
  let content = revealInvisible(String(text).replace(/\r\n?|\n/g, " "));
  content = truncate(content, opts.max ?? INLINE_MAX);
  content = neutraliseComments(content);
  // A backslash right before a pipe would escape our escape; show it as a look-alike instead.
  if (opts.table) content = content.replace(/\\(?=\|)/g, "\u29F5").replace(/\|/g, "\\|");
  if (content.trim() === "") return "` `";
  const fence = "`".repeat(longestRun(content, "`") + 1);
  const pad = content.startsWith("`") || content.endsWith("`") || content.startsWith(" ") ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * A fenced code block whose fence is longer than any backtick run in the content, so evidence
 * cannot end the block and smuggle markdown after it. The info string is a plain language tag.
 */
export function fencedBlock(text: string, lang = ""): string {
  const body = neutraliseComments(revealInvisible(String(text).replace(/\r\n?/g, "\n"))).replace(/\n+$/, "");
  const fence = "`".repeat(Math.max(3, longestRun(body, "`") + 1));
  const info = /^[A-Za-z0-9_+-]{0,20}$/.test(lang) ? lang : "";
  return `${fence}${info}\n${body}\n${fence}`;
}

/** Keep at most `maxLines` lines and `maxChars` characters of a multi-line snippet. */
export function clipBlock(text: string, maxLines: number, maxChars: number): string {
  const lines = String(text).replace(/\r\n?/g, "\n").split("\n");
  let out = lines.slice(0, maxLines).join("\n");
  let clipped = lines.length > maxLines;
  if (out.length > maxChars) {
    out = truncate(out, maxChars);
    clipped = true;
  }
  return clipped && !out.endsWith("…") ? `${out}\n…` : out;
}

const CODE_SPAN = /`([^`\n]{1,200})`/g;

/**
 * Prose (messages, remediation) may mark code with single backticks: those spans render as
 * code (inert: no HTML, links or mentions inside a code span), everything else as escaped
 * inline text. Unbalanced backticks are escaped like any other character.
 */
export function escapeProse(text: string, max = INLINE_MAX): string {
  const oneLine = truncate(String(text).replace(/\r\n?|\n/g, " ").replace(/\s+/g, " ").trim(), max);
  let out = "";
  let cursor = 0;
  for (const m of oneLine.matchAll(CODE_SPAN)) {
    out += escapeChars(oneLine.slice(cursor, m.index)) + codeSpan(m[1], { max });
    cursor = m.index + m[0].length;
  }
  return out + escapeChars(oneLine.slice(cursor));
}
