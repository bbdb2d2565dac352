import { JSON_SCHEMA, loadAll } from "js-yaml";
import type { z } from "zod";
import type { ConfigError, IgnoreEntry, WardenConfig } from "./types.js";
import {
  KNOWN_KEYS,
  MAX_LIST_ITEMS,
  globSchema,
  ignoreEntrySchema,
  labelSchema,
  minSeveritySchema,
} from "./schema.js";

export const CONFIG_PATH = ".github/mcp-warden.yml";

/** A config file is a few lines; anything bigger is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** Aliases are shared by reference while loading but expand when walked: cap them (billion laughs). */
const MAX_ALIASES = 50;
const MAX_DEPTH = 20;

/** The defaults, deeply frozen so no caller can change them for everyone else. */
export const DEFAULT_CONFIG: Readonly<WardenConfig> = Object.freeze({
  paths: Object.freeze({ exclude: Object.freeze([]) as unknown as string[] }),
  ignore: Object.freeze([]) as unknown as IgnoreEntry[],
  issue: Object.freeze({
    minSeverity: "low" as const,
    labels: Object.freeze(["security", "mcp-warden"]) as unknown as string[],
  }),
});

/** A fresh, mutable copy of the defaults (callers must never share the frozen one's arrays). */
export function defaultConfig(): WardenConfig {
  return {
    paths: { exclude: [] },
    ignore: [],
    issue: { minSeverity: "low", labels: ["security", "mcp-warden"] },
  };
}

export interface ParsedConfig {
  config: WardenConfig;
  errors: ConfigError[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}

function issueMessages(error: z.ZodError, field: string): ConfigError[] {
  return error.issues.map((issue) => ({
    field: [field, ...issue.path.map(String)].filter((p) => p !== "").join("."),
    message: issue.message,
  }));
}

function unknownKeys(obj: Record<string, unknown>, known: readonly string[], prefix: string): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const field = prefix ? `${prefix}.${key}` : key;
    errors.push({
      field: field.slice(0, 200),
      message: `unknown key (ignored); expected one of: ${known.join(", ")}`,
    });
  }
  return errors;
}

/** A sub-mapping: absent/null means "use defaults"; anything else but a mapping is an error. */
function mapping(value: unknown, field: string, errors: ConfigError[]): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (isPlainObject(value)) return value;
  errors.push({ field, message: `expected a mapping, got ${describeType(value)}; using defaults` });
  return undefined;
}

/** Validates list items one by one: a bad item is dropped with an error, the others are kept. */
function list<T>(
  value: unknown,
  field: string,
  item: (entry: unknown, index: number, errors: ConfigError[]) => T | undefined,
  errors: ConfigError[],
): T[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    errors.push({ field, message: `expected a list, got ${describeType(value)}; using the default` });
    return undefined;
  }
  if (value.length > MAX_LIST_ITEMS) {
    errors.push({ field, message: `too many entries (${value.length}); only the first ${MAX_LIST_ITEMS} are used` });
  }
  const out: T[] = [];
  value.slice(0, MAX_LIST_ITEMS).forEach((entry, index) => {
    const parsed = item(entry, index, errors);
    if (parsed !== undefined) out.push(parsed);
  });
  return out;
}

function leaf<S extends z.ZodType>(schema: S, value: unknown, field: string, errors: ConfigError[]): z.output<S> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  errors.push(...issueMessages(result.error, field));
  return undefined;
}

/** Findings' paths never start with "./"; neither should the globs that match them. */
function normaliseGlob(glob: string): string {
  return glob.replace(/^(\.\/)+/, "");
}

function parseIgnoreEntry(entry: unknown, index: number, errors: ConfigError[]): IgnoreEntry | undefined {
  const field = `ignore.${index}`;
  if (!isPlainObject(entry)) {
    errors.push({ field, message: `expected a mapping with rule and reason, got ${describeType(entry)}; entry dropped` });
    return undefined;
  }
  errors.push(...unknownKeys(entry, KNOWN_KEYS.ignoreEntry, field));
  const known = { rule: entry.rule, path: entry.path, reason: entry.reason };
  const result = ignoreEntrySchema.safeParse(known);
  if (!result.success) {
    for (const e of issueMessages(result.error, field)) {
      errors.push({ ...e, message: `${e.message}; entry dropped` });
    }
    return undefined;
  }
  const out: IgnoreEntry = { rule: result.data.rule, reason: result.data.reason };
  if (result.data.path !== undefined) out.path = normaliseGlob(result.data.path);
  return out;
}

/**
 * Validates a configuration object (already loaded from YAML, or merged by the App's
 * `context.config()`). Never throws: each invalid field gets its default and an error entry.
 */
export function parseConfig(raw: unknown): ParsedConfig {
  const config = defaultConfig();
  const errors: ConfigError[] = [];
  if (raw === undefined || raw === null) return { config, errors };
  if (!isPlainObject(raw)) {
    // An empty file loads as undefined; a bare string or list is a real mistake.
    errors.push({ field: "(root)", message: `expected a mapping at the top level, got ${describeType(raw)}; using defaults` });
    return { config, errors };
  }
  try {
    // `_extends` is Probot's inheritance key (normally consumed by context.config()); not a typo.
    const { _extends: _ignored, ...rest } = raw;
    errors.push(...unknownKeys(rest, KNOWN_KEYS.root, ""));

    const paths = mapping(raw.paths, "paths", errors);
    if (paths) {
      errors.push(...unknownKeys(paths, KNOWN_KEYS.paths, "paths"));
      const exclude = list(paths.exclude, "paths.exclude", (g, i, errs) => leaf(globSchema, g, `paths.exclude.${i}`, errs), errors);
      if (exclude) config.paths.exclude = [...new Set(exclude.map(normaliseGlob))];
    }

    const ignore = list(raw.ignore, "ignore", parseIgnoreEntry, errors);
    if (ignore) config.ignore = ignore;

    const issue = mapping(raw.issue, "issue", errors);
    if (issue) {
      errors.push(...unknownKeys(issue, KNOWN_KEYS.issue, "issue"));
      if (issue.minSeverity !== undefined && issue.minSeverity !== null) {
        const severity = leaf(minSeveritySchema, issue.minSeverity, "issue.minSeverity", errors);
        if (severity) config.issue.minSeverity = severity;
      }
      const labels = list(issue.labels, "issue.labels", (l, i, errs) => leaf(labelSchema, l, `issue.labels.${i}`, errs), errors);
      if (labels) config.issue.labels = [...new Set(labels)];
    }
  } catch (err) {
    // Defensive: hostile objects (getters, proxies) from a caller must not stop the scan.
    errors.push({ field: "(root)", message: `configuration could not be read: ${String((err as Error)?.message ?? err).slice(0, 200)}` });
    return { config: defaultConfig(), errors };
  }
  return { config, errors };
}

/**
 * Parses the YAML text of `.github/mcp-warden.yml`. JSON_SCHEMA: plain data only (no custom
 * tags, no implicit timestamps or merges); aliases and nesting are capped; size is bounded.
 */
export function parseConfigText(text: string): ParsedConfig {
  if (typeof text !== "string") return parseConfig(undefined);
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_CONFIG_BYTES) {
    return {
      config: defaultConfig(),
      errors: [{ field: "(file)", message: `${CONFIG_PATH} is ${bytes} bytes, over the ${MAX_CONFIG_BYTES}-byte limit; using defaults` }],
    };
  }
  let docs: unknown[];
  try {
    docs = loadAll(text, { schema: JSON_SCHEMA, maxAliases: MAX_ALIASES, maxDepth: MAX_DEPTH, filename: CONFIG_PATH });
  } catch (err) {
    return { config: defaultConfig(), errors: [yamlError(err)] };
  }
  const extra: ConfigError[] = [];
  if (docs.length > 1) {
    extra.push({ field: "(file)", message: `the file holds ${docs.length} YAML documents; only the first is used` });
  }
  // Under JSON_SCHEMA an empty document (`---` alone) loads as "", not null.
  const parsed = parseConfig(docs[0] === "" ? undefined : docs[0]);
  return { config: parsed.config, errors: [...extra, ...parsed.errors] };
}

function yamlError(err: unknown): ConfigError {
  const e = err as { reason?: unknown; message?: unknown; mark?: { line?: unknown; column?: unknown } };
  const reason = typeof e?.reason === "string" ? e.reason : String(e?.message ?? err);
  const out: ConfigError = { field: "(file)", message: `YAML syntax error: ${reason.split("\n")[0].slice(0, 300)}; using defaults` };
  // js-yaml marks are 0-based.
  if (typeof e?.mark?.line === "number" && typeof e.mark.column === "number") {
    out.line = e.mark.line + 1;
    out.column = e.mark.column + 1;
    out.message = `YAML syntax error at line ${out.line}, column ${out.column}: ${reason.split("\n")[0].slice(0, 300)}; using defaults`;
  }
  return out;
}
