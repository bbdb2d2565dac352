import type { FileFacts } from "../extract/types.js";
import type { Category, Confidence, RawFinding, Severity } from "../model.js";
import type { FlowKind, TaintFlow } from "../taint/types.js";
import type { RuleContext, RuleFamily, RuleInfo } from "./types.js";

/**
 * Data-flow findings: a tool's input (or an HTTP request's data) reaching an argument list, an
 * interpreter, a file path, a request URL or an SQL string. Shell flows are reported by
 * MCPW-EXEC-001 (lib/rules/command-injection.ts), which reads the same flows.
 */

type Lang = "js" | "python" | "go";
type Reported = Exclude<FlowKind, "shell"> | "partial-path";

interface KindInfo {
  ruleId: string;
  category: Category;
  cwe: string[];
  remediation: Record<Lang, string>;
}

const PATH_REMEDIATION: Record<Lang, string> = {
  js:
    "Resolve the path against a fixed root and check that it stays inside before using it: " +
    "`const full = path.resolve(ROOT, p); if (!full.startsWith(ROOT + path.sep)) throw new Error(\"outside root\")` " +
    "(call `fs.realpath` first when symlinks matter), or accept only a file name and use `path.basename`.",
  python:
    "Resolve the path against a fixed root and check that it stays inside: `full = (ROOT / p).resolve()` then " +
    "`if not full.is_relative_to(ROOT): raise ValueError(...)` (or `os.path.commonpath([ROOT, os.path.realpath(p)]) == ROOT`).",
  go:
    "Join the value to a fixed root after cleaning it and check the result: `full := filepath.Join(root, filepath.Clean(\"/\"+p))` " +
    "with `strings.HasPrefix(full, root+string(os.PathSeparator))`, or open files through `os.OpenRoot` / check `filepath.IsLocal(p)`.",
};

const KINDS: Record<Reported, KindInfo> = {
  argument: {
    ruleId: "MCPW-EXEC-002",
    category: "command-injection",
    cwe: ["CWE-88"],
    remediation: {
      js:
        "Put `--` before values that come from the caller (`execFile(\"git\", [\"log\", \"--\", ref])`) and reject values that " +
        "start with `-` (`if (ref.startsWith(\"-\")) throw ...`); better, check them against an allow-list.",
      python:
        "Put `--` before values that come from the caller (`subprocess.run([\"git\", \"log\", \"--\", ref])`) and reject values " +
        "that start with `-` (`if ref.startswith(\"-\"): raise ValueError(...)`); better, check them against an allow-list.",
      go:
        "Put `--` before values that come from the caller (`exec.Command(\"git\", \"log\", \"--\", ref)`) and reject values " +
        "that start with `-` (`strings.HasPrefix(ref, \"-\")`); better, check them against an allow-list.",
    },
  },
  code: {
    ruleId: "MCPW-CODE-001",
    category: "code-execution",
    cwe: ["CWE-94", "CWE-95"],
    remediation: {
      js:
        "Never run caller input as code: replace `eval`/`new Function`/`vm` with a parser for the data you expect " +
        "(`JSON.parse`, a small expression parser), and give templates user values as data (`ejs.render(TEMPLATE, { value })`), never as the template.",
      python:
        "Never run caller input as code: use `ast.literal_eval` or `json.loads` instead of `eval`/`exec`, `yaml.safe_load` instead " +
        "of `yaml.load`, never `pickle.loads` untrusted bytes, and pass user values to templates as context, not as the template.",
      go:
        "Never hand caller input to an interpreter (`sh -c`, `python -c`, a template parsed at run time); parse the data you expect " +
        "instead and pass user values to `text/template` as data.",
    },
  },
  path: { ruleId: "MCPW-PATH-001", category: "path-traversal", cwe: ["CWE-22"], remediation: PATH_REMEDIATION },
  "partial-path": { ruleId: "MCPW-PATH-002", category: "path-traversal", cwe: ["CWE-22"], remediation: PATH_REMEDIATION },
  url: {
    ruleId: "MCPW-SSRF-001",
    category: "ssrf",
    cwe: ["CWE-918"],
    remediation: {
      js:
        "Check the destination before the request: parse it with `new URL(value)`, require `https:`, and compare `url.hostname` " +
        "against an allow-list of hosts; never send the server's own token to a host the caller chose.",
      python:
        "Check the destination before the request: `u = urllib.parse.urlparse(value)`, require `u.scheme == \"https\"` and " +
        "`u.hostname in ALLOWED_HOSTS`; never send the server's own token to a host the caller chose.",
      go:
        "Check the destination before the request: `u, err := url.Parse(value)`, require `u.Scheme == \"https\"` and " +
        "`u.Hostname()` in an allow-list; never send the server's own token to a host the caller chose.",
    },
  },
  sql: {
    ruleId: "MCPW-SQL-001",
    category: "sql-injection",
    cwe: ["CWE-89"],
    remediation: {
      js:
        "Use placeholders and pass the values separately: `db.query(\"SELECT * FROM t WHERE id = $1\", [id])` (`?` for MySQL and " +
        "SQLite, Prisma's `$queryRaw` tagged template instead of `$queryRawUnsafe`); never build the SQL string from input.",
      python:
        "Use placeholders and pass the values separately: `cursor.execute(\"SELECT * FROM t WHERE id = %s\", (id,))` (`?` for " +
        "sqlite3, `text(\"... :id\")` with SQLAlchemy); never build the SQL string with f-strings, `%` or `+`.",
      go:
        "Use placeholders and pass the values separately: `db.Query(\"SELECT * FROM t WHERE id = $1\", id)`; never build the SQL " +
        "string with `fmt.Sprintf` or `+`.",
    },
  },
};

export const TAINT_RULES: RuleInfo[] = [
  {
    id: "MCPW-EXEC-002",
    title: "Tool input becomes an option of a command (argument injection)",
    category: "command-injection",
    severity: "high",
    looksFor:
      "A value from a tool's input placed as a bare argument of `git`, `tar`, `find`, `curl`, `ssh`, `kubectl`, `rsync`, `docker`, `npm` " +
      "and similar programs (run without a shell), where a value such as `--upload-pack=...` or `--output=...` becomes an option.",
    ignores: "Values after a `--` separator, values glued to a literal (`--ref=${x}`, `refs/${x}`), option values (`-C dir`), and values checked for a leading `-` or against an allow-list.",
    remediation: KINDS.argument.remediation.js,
  },
  {
    id: "MCPW-CODE-001",
    title: "Tool input is run as code",
    category: "code-execution",
    severity: "critical",
    looksFor:
      "A value from a tool's input reaching `eval`, `new Function`, `vm.run*`, `node -e`/`python -c`, Python `eval`/`exec`/`pickle.loads`/`yaml.load`, " +
      "or a template engine compiling it as a template (`ejs.render`, `Handlebars.compile`, `_.template`, `pug.render`).",
    ignores: "Constant code, values checked against an allow-list, and user values passed to a template as data.",
    remediation: KINDS.code.remediation.js,
  },
  {
    id: "MCPW-PATH-001",
    title: "Tool input used as a file path without a containment check",
    category: "path-traversal",
    severity: "high",
    looksFor: "A value from a tool's input reaching a file read, write, delete, rename or directory listing with nothing keeping it inside an allowed folder.",
    ignores:
      "Constant paths, `path.basename` of the value, and paths resolved and then checked with `startsWith(root + path.sep)`, `relative()` not starting with `..`, or `realpath` and a comparison.",
    remediation: PATH_REMEDIATION.js,
  },
  {
    id: "MCPW-PATH-002",
    title: "Tool input used as a file path behind a bypassable check",
    category: "path-traversal",
    severity: "medium",
    looksFor:
      "A path from a tool's input checked with `startsWith(root)` without a trailing separator (`/allowed-evil` passes), checked before it was resolved, or only checked for `..`.",
    ignores: "Paths resolved and checked against the root plus a separator.",
    remediation: PATH_REMEDIATION.js,
  },
  {
    id: "MCPW-SSRF-001",
    title: "Tool input chooses where the server sends a request",
    category: "ssrf",
    severity: "high",
    looksFor:
      "A URL or host from a tool's input reaching `fetch`, `axios`, `got`, `http(s).request`, `undici`, `requests`, `httpx`, `urllib` or Go's `http.Get`; " +
      "critical when the request also carries the server's own Authorization header or token.",
    ignores: "Constant URLs, URLs whose scheme and host are fixed and only the path comes from the caller, and hosts checked against an allow-list.",
    remediation: KINDS.url.remediation.js,
  },
  {
    id: "MCPW-SQL-001",
    title: "SQL query built from tool input",
    category: "sql-injection",
    severity: "high",
    looksFor: "An SQL string built with concatenation, template literals, f-strings or `fmt.Sprintf` from a tool's input and passed to `query`, `execute`, `raw` or `$queryRawUnsafe`.",
    ignores: "Parameterised queries (placeholders with a separate values list) and tagged-template query builders.",
    remediation: KINDS.sql.remediation.js,
  },
];

export function languageFamily(file: FileFacts): Lang {
  return file.language === "python" ? "python" : file.language === "go" ? "go" : "js";
}

/** "`args.repo` (line 12) -> `cmd` (line 15) -> `exec(cmd)` (line 16)" */
export function traceText(flow: TaintFlow): string {
  return flow.trace.map((s) => `\`${s.label.replace(/`/g, "'")}\` (line ${s.line})`).join(" -> ");
}

/** "Tool `x`", "Tools `x` and `y`", or the HTTP route. */
export function whoPasses(flows: TaintFlow[]): { who: string; input: string; plural: boolean } {
  const tools = [...new Set(flows.map((f) => f.tool).filter((t): t is string => t !== undefined))].sort();
  const source = `\`${flows[0].source.name}\``;
  if (tools.length === 0) {
    return flows[0].source.kind === "http-request"
      ? { who: "This HTTP route", input: `request data (${source})`, plural: false }
      : { who: "This handler", input: `its input (${source})`, plural: false };
  }
  const names = tools.map((t) => `\`${t}\``);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return { who: `${names.length === 1 ? "Tool" : "Tools"} ${list}`, input: `${names.length === 1 ? "its" : "their"} input (${source})`, plural: names.length > 1 };
}

function reportedKind(flow: TaintFlow): Reported | undefined {
  if (flow.kind === "shell" || flow.check === "checked") return undefined;
  if (flow.kind === "path" && flow.check === "partial") return "partial-path";
  return flow.kind;
}

function message(kind: Reported, flows: TaintFlow[]): string {
  const f = flows[0];
  const { who, input, plural } = whoPasses(flows);
  const verb = (one: string, many: string) => (plural ? many : one);
  const sink = `\`${f.sink}\``;
  switch (kind) {
    case "argument":
      return `${who} ${verb("passes", "pass")} ${input} as a bare argument of ${sink}, where a value starting with \`-\` is read as an option; a crafted option can read or write files or run commands.`;
    case "code":
      return `${who} ${verb("passes", "pass")} ${input} to ${sink}, which runs it as code on the server.`;
    case "path":
      return `${who} ${verb("uses", "use")} ${input} as a file path in ${sink} with no check that keeps it inside an allowed folder, so \`../\` or an absolute path reaches any file the server can access.`;
    case "partial-path":
      return `${who} ${verb("checks", "check")} the file path from ${input} before ${sink}, but the check can be bypassed: ${f.note ?? "it is incomplete"}.`;
    case "url":
      return f.withCredentials
        ? `${who} ${verb("sends", "send")} a request carrying the server's own credentials to a URL taken from ${input} with ${sink}, so the token goes to whatever host the caller names.`
        : `${who} ${verb("sends", "send")} a request to a URL taken from ${input} with ${sink}, so the caller can reach internal services and cloud metadata endpoints.`;
    case "sql":
      return `${who} ${verb("builds", "build")} an SQL query from ${input} for ${sink}; a crafted value can read or change any data the database user can.`;
  }
}

function assess(kind: Reported, flow: TaintFlow): { severity: Severity; confidence: Confidence } {
  if (kind === "partial-path") return { severity: "medium", confidence: "medium" };
  if (kind === "code") return { severity: "critical", confidence: "high" };
  if (kind === "url" && flow.withCredentials) return { severity: "critical", confidence: "high" };
  return { severity: "high", confidence: "high" };
}

export const dataFlow: RuleFamily = {
  id: "data-flow",
  rules: TAINT_RULES,
  run(ctx: RuleContext): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const file of ctx.facts.files) {
      // One finding per sink call and kind; tools reaching the same helper share it.
      const groups = new Map<string, { kind: Reported; flows: TaintFlow[] }>();
      for (const flow of file.flows ?? []) {
        const kind = reportedKind(flow);
        if (!kind) continue;
        const id = `${kind}|${flow.span.line}|${flow.snippet}`;
        const group = groups.get(id);
        if (group) group.flows.push(flow);
        else groups.set(id, { kind, flows: [flow] });
      }
      const seen = new Map<string, number>();
      for (const { kind, flows } of groups.values()) {
        flows.sort((a, b) => (a.tool ?? "").localeCompare(b.tool ?? ""));
        const flow = flows.find((f) => f.tool !== undefined) ?? flows[0];
        const info = KINDS[kind];
        const base = `${kind}:${flow.snippet.replace(/\s+/g, " ").trim()}`;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        const cwe = kind === "code" && /pickle|marshal|yaml|shelve|dill/.test(flow.sink) ? ["CWE-502"] : info.cwe;
        const evidence = `${flow.snippet}\ntrace: ${traceText(flow)}${flow.note ? `\ncheck: ${flow.note}` : ""}`;
        findings.push({
          ruleId: info.ruleId,
          category: info.category,
          ...assess(kind, flow),
          path: flow.span.path,
          line: flow.span.line,
          endLine: flow.span.endLine,
          ...(flow.tool !== undefined ? { tool: flow.tool } : {}),
          message: message(kind, flows),
          evidence,
          remediation: info.remediation[languageFamily(file)],
          cwe,
          owasp: kind === "url" && flow.withCredentials ? ["MCP05", "MCP01"] : ["MCP05"],
          key: n === 1 ? base : `${base} #${n}`,
        });
      }
    }
    return findings;
  },
};

export default dataFlow;
