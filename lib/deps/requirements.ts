import { valid as pep440Valid } from "@renovatebot/pep440";

/** One requirement as a requirements file or a PEP 508 string declares it. */
export interface Requirement {
  name: string;
  /** The version specifier as written, e.g. "==2.0.1", ">=1,<2"; "" when none. */
  specifier: string;
  /** Set when the specifier is a single `==` / `===` pin without wildcard. */
  pinned?: string;
}

export interface RequirementLine extends Requirement {
  line: number;
  /** Parents named in a pip-compile `# via` comment (not `-r` references). */
  via: string[];
  /** True when a `# via -r file` comment says the user asked for it directly. */
  viaInput?: boolean;
}

/** A requirement fetched from a URL or a path rather than the registry, as written. */
export interface ReferenceLine {
  /** The project name when the line gives one (`name @ url`, `#egg=name`). */
  name?: string;
  reference: string;
  line: number;
}

export interface RequirementsFile {
  requirements: RequirementLine[];
  /** VCS, archive and local-path requirements (not registry packages). */
  references: ReferenceLine[];
  /** Other files this one includes with `-r`, as written (relative to this file). */
  includes: string[];
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/s;

/**
 * Parses a PEP 508 requirement ("name[extra] (>=1, <2) ; marker"). Direct URL references
 * ("name @ https://...") have no registry version and give undefined, as does anything malformed.
 */
/** Whitespace then an option (`--hash=...`). The lookbehind starts a match only at the start of a whitespace run, so a long run is scanned once, not once per position. */
const OPTION_AFTER_SPACE = /(?<!\s)\s+--?[a-z]/i;

export function parsePep508(text: string): Requirement | undefined {
  return parsePep508Any(text)?.requirement;
}

/** PEP 508 `name @ url` direct reference: the name and the URL; undefined for anything else. */
export function parseDirectReference(text: string): { name: string; reference: string } | undefined {
  const m = NAME.exec(text.split(/;\s/)[0].trim());
  if (!m || !m[3].trim().startsWith("@")) return undefined;
  return { name: m[1], reference: m[3].trim().slice(1).trim() };
}

function parsePep508Any(text: string): { requirement: Requirement } | undefined {
  const withoutMarker = text.split(";")[0].trim();
  const m = NAME.exec(withoutMarker);
  if (!m) return undefined;
  let spec = m[3].trim();
  if (spec.startsWith("@")) return undefined;
  if (spec.startsWith("(") && spec.endsWith(")")) spec = spec.slice(1, -1).trim();
  if (spec !== "" && !/^(===|==|!=|~=|<=|>=|<|>)/.test(spec)) return undefined;
  const parts = spec === "" ? [] : spec.split(",").map((p) => p.trim());
  const req: Requirement = { name: m[1], specifier: parts.join(",") };
  if (parts.length === 1) {
    const pin = /^===?\s*([^\s*]+)$/.exec(parts[0]);
    if (pin && (parts[0].startsWith("===") || pep440Valid(pin[1]) !== null)) req.pinned = pin[1];
  }
  return { requirement: req };
}

/** Physical lines joined at trailing backslashes, each with the 1-based line where it starts. */
function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const raw = text.split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    const start = i;
    let buf = raw[i];
    while (/\\\s*$/.test(buf) && i + 1 < raw.length) {
      buf = buf.replace(/\\\s*$/, " ") + raw[++i];
    }
    out.push({ text: buf, line: start + 1 });
  }
  return out;
}

/**
 * Parses a pip requirements file: comments, options (`--hash`, `--index-url`), editable and
 * URL requirements, environment markers and line continuations are handled the way pip reads them.
 */
export function parseRequirements(text: string): RequirementsFile {
  const requirements: RequirementLine[] = [];
  const references: ReferenceLine[] = [];
  const includes: string[] = [];
  let last: RequirementLine | undefined;
  let inVia = false;
  for (const { text: rawLine, line } of logicalLines(text)) {
    const trimmed = rawLine.trim();
    // pip-compile annotates each pin with the packages that pulled it in.
    if (trimmed.startsWith("#")) {
      const via = /^#\s*via\b\s*(.*)$/.exec(trimmed);
      if (via && last) {
        inVia = true;
        if (via[1]) addVia(last, via[1]);
      } else if (inVia && last && /^#\s{2,}\S/.test(trimmed)) addVia(last, trimmed.replace(/^#\s*/, ""));
      else inVia = false;
      continue;
    }
    inVia = false;
    // A comment starts at a `#` at the start or after whitespace (URLs keep their fragments).
    const content = rawLine.replace(/(^|\s)#.*$/, "").trim();
    if (content === "") continue;
    if (content.startsWith("-")) {
      const inc = /^(?:-r|--requirement)(?:\s+|=)?(\S+)/.exec(content);
      if (inc) includes.push(inc[1]);
      // `-e git+https://...` / `-e ../lib`: an editable install from a VCS or a path.
      const editable = /^(?:-e|--editable)(?:\s+|=)(\S+)/.exec(content);
      if (editable) references.push({ ...eggName(editable[1]), reference: editable[1], line });
      last = undefined;
      continue;
    }
    // Local paths and bare URLs are not registry packages.
    if (/^[./~]/.test(content) || /^[a-z][a-z0-9+.-]*:\/\//i.test(content)) {
      const reference = content.split(/\s+/)[0];
      references.push({ ...eggName(reference), reference, line });
      last = undefined;
      continue;
    }
    const direct = parseDirectReference(content.split(OPTION_AFTER_SPACE)[0]);
    if (direct) {
      references.push({ name: direct.name, reference: direct.reference, line });
      last = undefined;
      continue;
    }
    // Per-requirement options (`--hash=...`) follow the requirement itself.
    const req = parsePep508(content.split(OPTION_AFTER_SPACE)[0]);
    if (!req) {
      last = undefined;
      continue;
    }
    last = { ...req, line, via: [] };
    requirements.push(last);
  }
  return { requirements, references, includes };
}

function eggName(reference: string): { name?: string } {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(reference);
  return egg ? { name: egg[1] } : {};
}

function addVia(req: RequirementLine, text: string): void {
  const name = text.trim();
  if (name === "") return;
  // "-r requirements.in" means the user asked for it directly.
  if (name.startsWith("-")) {
    req.viaInput = true;
    return;
  }
  req.via.push(name.split(/\s/)[0]);
}
