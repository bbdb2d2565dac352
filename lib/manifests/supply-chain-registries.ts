import { JSON_SCHEMA, load as loadYaml } from "js-yaml";
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { LineIndex } from "../line-index.js";
import { indexOptionsOf } from "./supply-chain-shell.js";
import type { IndexSetting, SupplyChainProblem } from "./supply-chain-types.js";

/**
 * Where packages are downloaded from: pip requirements options, pip.conf, uv settings in
 * pyproject.toml / uv.toml, .npmrc, .yarnrc and .yarnrc.yml. Only settings that change the
 * index or its transport security are kept.
 */

/** Registry settings files are tiny; bigger ones are not read. */
export const MAX_SETTINGS_BYTES = 256 * 1024;

export type SettingsKind = "requirements" | "pip.conf" | "pyproject" | "uv.toml" | "npmrc" | "yarnrc" | "yarnrc.yml";

export function settingsKind(path: string): SettingsKind | undefined {
  const parts = path.split("/");
  const base = (parts.pop() ?? "").toLowerCase();
  const dir = (parts.pop() ?? "").toLowerCase();
  if (/^(requirements|constraints)([\w.-]*)\.(txt|in)$/.test(base) || (dir === "requirements" && /\.(txt|in)$/.test(base))) return "requirements";
  if (base === "pip.conf" || base === "pip.ini") return "pip.conf";
  if (base === "pyproject.toml") return "pyproject";
  if (base === "uv.toml") return "uv.toml";
  if (base === ".npmrc") return "npmrc";
  if (base === ".yarnrc") return "yarnrc";
  if (base === ".yarnrc.yml" || base === ".yarnrc.yaml") return "yarnrc.yml";
  return undefined;
}

function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** First line containing the first needle found (line 1 when none is), and that line's text. */
function locate(index: LineIndex, text: string, ...needles: string[]): { line: number; snippet: string } {
  const at = needles.map((n) => (n === "" ? -1 : text.indexOf(n))).find((i) => i >= 0) ?? -1;
  const line = at < 0 ? 1 : index.lineAt(at);
  return { line, snippet: clip(index.lineText(line)) };
}

function requirements(path: string, text: string): IndexSetting[] {
  const out: IndexSetting[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length && out.length < 100; i++) {
    const start = i;
    let logical = lines[i];
    // pip joins lines ending in a backslash.
    while (logical.endsWith("\\") && i + 1 < lines.length) logical = logical.slice(0, -1) + " " + lines[++i];
    const content = logical.replace(/(^|\s)#.*$/, "").trim();
    if (!content.startsWith("-")) continue;
    for (const o of indexOptionsOf(content.split(/\s+/))) {
      out.push({ path, line: start + 1, ecosystem: "PyPI", option: o.option, value: o.value, source: "requirements file", snippet: clip(content) });
    }
  }
  return out;
}

const PIP_CONF_KEYS = new Set(["index-url", "extra-index-url", "trusted-host", "find-links", "index_url", "extra_index_url", "trusted_host"]);

/** pip.conf is INI with indented continuation lines for lists. */
function pipConf(path: string, text: string): IndexSetting[] {
  const out: IndexSetting[] = [];
  const lines = text.split("\n");
  let current: { key: string; line: number } | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (/^\s*[#;]/.test(line) || line.trim() === "") return;
    if (/^\s+\S/.test(line) && current) {
      for (const value of line.trim().split(/\s+/)) {
        out.push({ path, line: i + 1, ecosystem: "PyPI", option: current.key, value, source: "pip.conf", snippet: clip(line) });
      }
      return;
    }
    current = undefined;
    const m = /^([\w-]+)\s*[=:]\s*(.*)$/.exec(line.trim());
    if (!m || !PIP_CONF_KEYS.has(m[1].toLowerCase())) return;
    const key = m[1].toLowerCase().replace(/_/g, "-");
    current = { key, line: i + 1 };
    for (const value of m[2].trim().split(/\s+/).filter(Boolean)) {
      out.push({ path, line: i + 1, ecosystem: "PyPI", option: key, value, source: "pip.conf", snippet: clip(line) });
    }
  });
  return out;
}

const uvIndex = z.object({ url: z.string().max(2000).optional().catch(undefined), name: z.string().max(200).optional().catch(undefined) });
const uvSettings = z.object({
  "index-url": z.string().max(2000).optional().catch(undefined),
  "extra-index-url": z.array(z.string().max(2000)).max(100).optional().catch(undefined),
  "allow-insecure-host": z.array(z.string().max(500)).max(100).optional().catch(undefined),
  "index-strategy": z.string().max(100).optional().catch(undefined),
  index: z.array(z.unknown()).max(100).optional().catch(undefined),
});

/** [tool.uv] (pyproject.toml) or the top level of uv.toml; also [[tool.poetry.source]] URLs. */
function uvLike(path: string, text: string, kind: "pyproject" | "uv.toml", problems: SupplyChainProblem[]): IndexSetting[] {
  // pyproject.toml is read by every part of the scanner; only ones that mention an index matter here.
  if (!/index|insecure|source/.test(text)) return [];
  let doc: unknown;
  try {
    doc = parseToml(text);
  } catch (err) {
    // A broken pyproject.toml is reported where projects are read; uv.toml is only ours.
    if (kind === "uv.toml") {
      const at = err as { line?: number; column?: number; message?: string };
      const first = String(at?.message ?? err).split("\n")[0];
      problems.push({ path, line: at?.line ?? 1, column: at?.column ?? 1, message: `invalid TOML: ${clip(first, 160)}` });
    }
    return [];
  }
  const root = (doc ?? {}) as Record<string, unknown>;
  const tool = (root.tool ?? {}) as Record<string, unknown>;
  const uvRaw = kind === "uv.toml" ? root : tool.uv;
  const source = kind === "uv.toml" ? "uv.toml" : "pyproject.toml [tool.uv]";
  const index = new LineIndex(text);
  const out: IndexSetting[] = [];
  const add = (option: string, value: string, key: string): void => {
    const at = locate(index, text, `"${value}"`, `'${value}'`, value, key);
    out.push({ path, ...at, ecosystem: "PyPI", option, value, source });
  };
  const parsed = uvSettings.safeParse(uvRaw ?? {});
  if (parsed.success) {
    const s = parsed.data;
    if (s["index-url"]) add("index-url", s["index-url"], "index-url");
    for (const v of s["extra-index-url"] ?? []) add("extra-index-url", v, "extra-index-url");
    for (const v of s["allow-insecure-host"] ?? []) add("allow-insecure-host", v, "allow-insecure-host");
    if (s["index-strategy"]) add("index-strategy", s["index-strategy"], "index-strategy");
    for (const item of s.index ?? []) {
      const i = uvIndex.safeParse(item);
      if (i.success && i.data.url) add("index", i.data.url, "url");
    }
  }
  const poetry = (tool.poetry ?? {}) as Record<string, unknown>;
  const sources = Array.isArray(poetry.source) ? poetry.source.slice(0, 100) : [];
  for (const item of sources) {
    const i = uvIndex.safeParse(item);
    if (i.success && i.data.url) {
      const at = locate(index, text, i.data.url);
      out.push({ path, ...at, ecosystem: "PyPI", option: "index", value: i.data.url, source: "pyproject.toml [tool.poetry.source]" });
    }
  }
  return out;
}

/** .npmrc: `registry=`, `@scope:registry=`, `strict-ssl=false`. */
function npmrc(path: string, text: string): IndexSetting[] {
  const out: IndexSetting[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "").trim();
    if (line.startsWith("#") || line.startsWith(";")) return;
    const m = /^((?:@[\w.-]+:)?registry|strict-ssl)\s*=\s*"?([^"\s]*)"?/.exec(line);
    if (!m) return;
    out.push({ path, line: i + 1, ecosystem: "npm", option: m[1] === "strict-ssl" ? "strict-ssl" : "registry", value: m[2], source: ".npmrc", snippet: clip(line) });
  });
  return out;
}

/** .yarnrc (yarn 1): `registry "http://..."`, `strict-ssl false`. */
function yarnrc(path: string, text: string): IndexSetting[] {
  const out: IndexSetting[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "").trim();
    const m = /^"?((?:@[\w.-]+:)?registry|strict-ssl)"?\s+"?([^"\s]*)"?/.exec(line);
    if (!m) return;
    out.push({ path, line: i + 1, ecosystem: "npm", option: m[1] === "strict-ssl" ? "strict-ssl" : "registry", value: m[2], source: ".yarnrc", snippet: clip(line) });
  });
  return out;
}

const yarnScope = z.object({ npmRegistryServer: z.string().max(2000).optional().catch(undefined) });
const yarnBerry = z.object({
  npmRegistryServer: z.string().max(2000).optional().catch(undefined),
  enableStrictSsl: z.boolean().optional().catch(undefined),
  unsafeHttpWhitelist: z.array(z.string().max(500)).max(100).optional().catch(undefined),
  npmScopes: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

/** .yarnrc.yml (yarn 2+): npmRegistryServer (also per scope), enableStrictSsl, unsafeHttpWhitelist. */
function yarnrcYml(path: string, text: string, problems: SupplyChainProblem[]): IndexSetting[] {
  let doc: unknown;
  try {
    // JSON_SCHEMA: no custom tags; js-yaml bounds alias expansion.
    doc = loadYaml(text, { schema: JSON_SCHEMA, json: true });
  } catch (err) {
    const mark = (err as { mark?: { line?: number; column?: number } })?.mark;
    problems.push({ path, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1, message: `invalid YAML: ${clip(String((err as Error)?.message ?? err).split("\n")[0], 160)}` });
    return [];
  }
  const parsed = yarnBerry.safeParse(doc ?? {});
  if (!parsed.success) return [];
  const index = new LineIndex(text);
  const out: IndexSetting[] = [];
  const add = (option: string, value: string, ...needles: string[]): void => {
    out.push({ path, ...locate(index, text, ...needles), ecosystem: "npm", option, value, source: ".yarnrc.yml" });
  };
  const s = parsed.data;
  if (s.npmRegistryServer) add("registry", s.npmRegistryServer, s.npmRegistryServer);
  if (s.enableStrictSsl === false) add("strict-ssl", "false", "enableStrictSsl");
  for (const host of s.unsafeHttpWhitelist ?? []) add("unsafe-http-whitelist", host, `- ${host}`, `"${host}"`, host);
  for (const [scope, value] of Object.entries(s.npmScopes ?? {}).slice(0, 100)) {
    const server = yarnScope.safeParse(value);
    if (server.success && server.data.npmRegistryServer) add("registry", server.data.npmRegistryServer, server.data.npmRegistryServer);
    void scope;
  }
  return out;
}

/** Index/registry settings in one file; problems collects files that could not be read. */
export function readIndexSettings(path: string, text: string, problems: SupplyChainProblem[]): IndexSetting[] {
  const kind = settingsKind(path);
  if (!kind) return [];
  if (text.length > MAX_SETTINGS_BYTES || text.includes("\u0000")) {
    if (kind !== "pyproject" && kind !== "requirements") problems.push({ path, line: 1, column: 1, message: "too large or binary; not read" });
    return [];
  }
  switch (kind) {
    case "requirements":
      return requirements(path, text);
    case "pip.conf":
      return pipConf(path, text);
    case "pyproject":
    case "uv.toml":
      return uvLike(path, text, kind, problems);
    case "npmrc":
      return npmrc(path, text);
    case "yarnrc":
      return yarnrc(path, text);
    case "yarnrc.yml":
      return yarnrcYml(path, text, problems);
  }
}
