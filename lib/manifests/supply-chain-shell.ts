/**
 * Reads shell text (Dockerfile RUN, package.json scripts, *.sh files, client-config `sh -c`
 * strings) far enough to see simple commands and pipelines. It does not evaluate anything: it
 * only needs to tell `curl URL | sh` from `curl URL | tar xz`, so quoting, escapes, line
 * continuations, comments and `$( )` / `<( )` nesting are honoured and the rest is words.
 */

export interface ShellWord {
  /** The word with quotes removed and escapes applied. */
  text: string;
  /** The word as written (quotes kept), for `$(curl ...)` inside an argument. */
  raw: string;
}

export interface SimpleCommand {
  words: ShellWord[];
  /** Offset of the first word in the script. */
  start: number;
  end: number;
}

/** Commands joined by `|`; a script is a list of these. */
export type Pipeline = SimpleCommand[];

/** Shell text bigger than this is not hand-written install logic; it is cut, not parsed. */
export const MAX_SHELL_TEXT = 256 * 1024;
const MAX_WORDS = 20_000;

/** Splits shell text into pipelines of simple commands. Bounded and total: never throws. */
export function parseShell(script: string): Pipeline[] {
  const text = script.length > MAX_SHELL_TEXT ? script.slice(0, MAX_SHELL_TEXT) : script;
  const pipelines: Pipeline[] = [];
  let pipeline: Pipeline = [];
  let command: SimpleCommand = { words: [], start: -1, end: -1 };
  let word = "";
  let raw = "";
  let wordStart = -1;
  let words = 0;

  const endWord = (at: number): void => {
    if (wordStart < 0) return;
    if (command.start < 0) command.start = wordStart;
    command.words.push({ text: word, raw });
    command.end = at;
    word = "";
    raw = "";
    wordStart = -1;
    words++;
  };
  const endCommand = (): void => {
    if (command.words.length > 0) pipeline.push(command);
    command = { words: [], start: -1, end: -1 };
  };
  const endPipeline = (): void => {
    endCommand();
    if (pipeline.length > 0) pipelines.push(pipeline);
    pipeline = [];
  };
  const take = (at: number, chars: string, value = chars): void => {
    if (wordStart < 0) wordStart = at;
    raw += chars;
    word += value;
  };

  let i = 0;
  while (i < text.length && words < MAX_WORDS) {
    const c = text[i];
    if (c === "\\") {
      if (text[i + 1] === "\n") i += 2; // line continuation
      else if (text[i + 1] === "\r" && text[i + 2] === "\n") i += 3;
      else {
        take(i, text.slice(i, i + 2), text[i + 1] ?? "");
        i += 2;
      }
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      const close = closingQuote(text, i);
      const body = text.slice(i + 1, close);
      take(i, text.slice(i, close + 1), c === '"' ? body.replace(/\\(["\\$`])/g, "$1") : body);
      i = close + 1;
      continue;
    }
    if ((c === "$" || c === "<" || c === ">") && text[i + 1] === "(") {
      // $( ... ), <( ... ): one word up to the matching parenthesis.
      const close = closingParen(text, i + 1);
      take(i, text.slice(i, close + 1));
      i = close + 1;
      continue;
    }
    if (c === "(" && wordStart < 0 && command.words.length > 0) {
      // `iex (iwr URL)` (PowerShell): an argument in parentheses, not a subshell.
      const close = closingParen(text, i);
      take(i, text.slice(i, close + 1));
      i = close + 1;
      continue;
    }
    if (c === "#" && wordStart < 0) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      endWord(i);
      i++;
      continue;
    }
    if (c === "\n" || c === ";" || c === "&" || c === "|" || c === "(" || c === ")" || c === "{" && wordStart < 0 || c === "}" && wordStart < 0) {
      endWord(i);
      if (c === "|" && text[i + 1] !== "|") {
        endCommand();
        i += text[i + 1] === "&" ? 2 : 1; // |& pipes stderr too
        continue;
      }
      endPipeline();
      i += (c === "|" || c === "&") && text[i + 1] === c ? 2 : 1;
      continue;
    }
    take(i, c);
    i++;
  }
  endWord(i);
  endPipeline();
  return pipelines;
}

function closingQuote(text: string, open: number): number {
  const q = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\" && q !== "'") i++;
    else if (text[i] === q) return i;
  }
  return text.length;
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "'" || c === '"' || c === "`") i = closingQuote(text, i);
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return text.length;
}

// ---------- what a command runs ----------

/** Prefixes that run the rest of the line as a command. */
const PREFIXES = new Set(["sudo", "env", "command", "exec", "time", "nice", "nohup", "doas"]);
const PREFIX_VALUE_OPTIONS = new Set(["-u", "-g", "-n", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "--user", "--group", "-I"]);

/** Program base name, Windows suffixes dropped: "/usr/bin/curl" -> "curl", "iwr.exe" -> "iwr". */
export function programOf(word: string): string {
  const base = word.split(/[\\/]/).pop() ?? word;
  return base.toLowerCase().replace(/\.(exe|cmd|bat)$/, "");
}

/** The command's words without `sudo -E`, `env A=1`, leading `VAR=value` assignments. */
export function commandWords(cmd: SimpleCommand): ShellWord[] {
  let w = cmd.words;
  for (let guard = 0; guard < 8 && w.length > 0; guard++) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0].text)) {
      w = w.slice(1);
      continue;
    }
    if (!PREFIXES.has(programOf(w[0].text))) break;
    let i = 1;
    while (i < w.length && (w[i].text.startsWith("-") || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[i].text))) {
      i += PREFIX_VALUE_OPTIONS.has(w[i].text) ? 2 : 1;
    }
    w = w.slice(i);
  }
  return w;
}

/** Leading `VAR=value` assignments and `env VAR=value` of a command. */
export function assignmentsOf(cmd: SimpleCommand): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const w of cmd.words) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text);
    if (m) out.push({ name: m[1], value: m[2] });
    else if (!PREFIXES.has(programOf(w.text)) && !w.text.startsWith("-")) break;
  }
  return out;
}

/** Programs that write what they download to stdout (wget and curl only when told to; see writesToStdout). */
const DOWNLOADERS = new Set(["curl", "wget", "iwr", "irm", "invoke-webrequest", "invoke-restmethod", "http", "https"]);
const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish", "busybox"]);
const INTERPRETERS = /^(python[0-9.]*|perl|ruby|node|php|pwsh|powershell|deno|bun)$/;
const EVALUATORS = new Set(["iex", "invoke-expression", "eval", "source", "."]);
const DOWNLOAD_IN_TEXT = /(?:^|[\s(;|&`"'])(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)(?=[\s)"'`]|$)|downloadstring\s*\(|net\.webclient/i;

/** True when the downloader writes the body to stdout (the only case a pipe can run it). */
function writesToStdout(program: string, args: ShellWord[]): boolean {
  const texts = args.map((a) => a.text);
  if (program === "curl") {
    return !texts.some((t) => t === "-o" || t === "-O" || t === "--output" || t.startsWith("--output=") || t === "--remote-name" || t === "--remote-name-all" || /^-[a-zA-Z]*[oO][a-zA-Z]*$/.test(t) && !/^-o-$/.test(t));
  }
  if (program === "wget") {
    return texts.some((t, i) => /^-[a-zA-Z]*O-?$/.test(t) && (t.endsWith("-") || texts[i + 1] === "-" || texts[i + 1] === "/dev/stdout") || t === "--output-document=-" || t === "--output-document=/dev/stdout");
  }
  return true;
}

/** Reads its program from stdin: `sh`, `bash -s -- args`, `python3 -`, `iex`; not `sh file`, `bash -c`. */
function runsStdin(program: string, args: ShellWord[]): boolean {
  if (program === "iex" || program === "invoke-expression") return true;
  if (!SHELLS.has(program) && !INTERPRETERS.test(program)) return false;
  if (program === "busybox" && args[0]?.text !== "sh" && args[0]?.text !== "ash") return false;
  const rest = program === "busybox" ? args.slice(1) : args;
  for (const a of rest) {
    if (a.text === "-" || a.text === "-s" || a.text === "--") return true;
    if (/^-{1,2}(c|e|command|eval|p|print|m|r|file)$/i.test(a.text) || /^-[a-zA-Z]*c$/.test(a.text) && SHELLS.has(program)) return false;
    if (!a.text.startsWith("-")) return false; // a script file or module argument
  }
  return true;
}

export interface RemoteExec {
  /** How the downloaded code reaches an interpreter. */
  kind: "pipe" | "substitution";
  /** The download command and its interpreter, as written (clipped). */
  snippet: string;
  /** The URL fetched, when one is written literally. */
  url?: string;
  /** Fetched over plain http (not localhost) or with certificate checks off. */
  insecure: boolean;
  /** Offset in the script, for line numbers. */
  offset: number;
}

function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export function isLocalUrl(url: string): boolean {
  return /^[a-z]+:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0|host\.docker\.internal)([:/]|$)/i.test(url);
}

export function isPlainHttp(url: string): boolean {
  return /^http:\/\//i.test(url) && !isLocalUrl(url);
}

function downloadFacts(text: string): { url?: string; insecure: boolean } {
  const url = /\b(https?|ftp):\/\/[^\s"'`)|;]+/i.exec(text)?.[0];
  const noVerify = /(^|\s)(-k|--insecure|--no-check-certificate|-SkipCertificateCheck)(\s|$)/i.test(text) || /(^|\s)-[a-zA-Z]*k[a-zA-Z]*(\s|$)/.test(text) && /\bcurl\b/i.test(text);
  return { url, insecure: noVerify || (url !== undefined && (isPlainHttp(url) || /^ftp:/i.test(url))) };
}

/**
 * Every place where the script runs code it downloads without keeping it: `curl URL | sh`,
 * `wget -qO- URL | sudo bash -s`, `bash -c "$(curl URL)"`, `sh <(curl URL)`, `iwr URL | iex`.
 */
export function findRemoteExecs(script: string, pipelines: Pipeline[] = parseShell(script)): RemoteExec[] {
  const out: RemoteExec[] = [];
  for (const pipeline of pipelines) {
    let download: { cmd: SimpleCommand; program: string } | undefined;
    for (const cmd of pipeline) {
      const words = commandWords(cmd);
      if (words.length === 0) continue;
      const program = programOf(words[0].text);
      const args = words.slice(1);
      if (download && runsStdin(program, args)) {
        const text = script.slice(download.cmd.start, cmd.end);
        out.push({ kind: "pipe", snippet: clip(text), offset: download.cmd.start, ...downloadFacts(script.slice(download.cmd.start, download.cmd.end)) });
        break;
      }
      if (DOWNLOADERS.has(program) && writesToStdout(program, args)) download = { cmd, program };
      // `bash -c "$(curl URL)"`, `sh <(curl URL)`, `eval "$(wget -O- URL)"`, `iex (iwr URL)`.
      const runner = SHELLS.has(program) || INTERPRETERS.test(program) || EVALUATORS.has(program);
      if (runner) {
        const carrier = args.find((a) => (/\$\(|<\(|`/.test(a.raw) || program === "iex" || program === "invoke-expression") && DOWNLOAD_IN_TEXT.test(a.raw));
        if (carrier) {
          const text = script.slice(cmd.start, cmd.end);
          out.push({ kind: "substitution", snippet: clip(text), offset: cmd.start, ...downloadFacts(text) });
        }
      }
    }
  }
  return out;
}

// ---------- pip / uv index options on a command line ----------

export interface IndexOption {
  /** As pip names it: "index-url", "extra-index-url", "trusted-host", "find-links". */
  option: "index-url" | "extra-index-url" | "trusted-host" | "find-links" | "allow-insecure-host" | "index" | "index-strategy";
  value: string;
}

const PIP_FLAGS: Record<string, IndexOption["option"]> = {
  "-i": "index-url",
  "--index-url": "index-url",
  "--default-index": "index-url",
  "--extra-index-url": "extra-index-url",
  "--index": "index",
  "--trusted-host": "trusted-host",
  "--allow-insecure-host": "allow-insecure-host",
  "-f": "find-links",
  "--find-links": "find-links",
  "--index-strategy": "index-strategy",
};

/** Index options in words (`--extra-index-url URL`, `--trusted-host=h`, `-ihttp://x`). */
export function indexOptionsOf(words: string[]): IndexOption[] {
  const out: IndexOption[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const eq = w.indexOf("=");
    const name = w.startsWith("--") && eq > 0 ? w.slice(0, eq) : w;
    const option = PIP_FLAGS[name];
    if (option) {
      const value = name !== w ? w.slice(eq + 1) : words[++i];
      if (value !== undefined && value !== "") out.push({ option, value });
    } else if (/^-i\S/.test(w)) {
      out.push({ option: "index-url", value: w.slice(2) });
    }
  }
  return out;
}

/** True for `pip install`, `pip3 install`, `python -m pip install`, `uv pip install`, `uv add`, `pipx install`. */
export function isPythonInstall(words: string[]): boolean {
  const p = words.map((w) => programOf(w));
  const at = (i: number): string => p[i] ?? "";
  if (/^pip[0-9.]*$/.test(at(0))) return at(1) === "install" || at(1) === "download" || at(1) === "wheel";
  if (/^python[0-9.]*$/.test(at(0)) && at(1) === "-m" && /^pip[0-9.]*$/.test(at(2))) return true;
  if (at(0) === "uv") return (at(1) === "pip" && (at(2) === "install" || at(2) === "sync" || at(2) === "compile")) || at(1) === "add" || at(1) === "sync" || at(1) === "lock" || (at(1) === "tool" && at(2) === "install");
  if (at(0) === "pipx") return at(1) === "install" || at(1) === "run";
  if (at(0) === "poetry" || at(0) === "pdm") return at(1) === "install" || at(1) === "add";
  return false;
}
