import { z } from "zod";
import { LineIndex } from "../line-index.js";
import { readCommandFunction } from "./command-function.js";
import { parseYamlManifest, schemaProblems, yamlLine } from "./parse-safe.js";
import type { ManifestLaunch, SmitheryDocument } from "./registry-types.js";

/**
 * smithery.yaml (smithery.ai/docs/config/smithery.yaml): `startCommand` with `type` stdio or
 * http, a JSON Schema `configSchema`, a JavaScript `commandFunction` (stdio) and an
 * `exampleConfig`; or the newer `runtime` (typescript, container, python) with `build` and
 * `env`. Unknown fields pass.
 */

const text = z.string().max(100_000);
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

const startCommand = z.looseObject({
  type: z.enum(["stdio", "http"]),
  configSchema: z.unknown().optional(),
  commandFunction: text.optional(),
  exampleConfig: z.unknown().optional(),
  // Hand-written configs sometimes give the command directly.
  command: text.optional(),
  args: z.array(scalar).max(500).optional(),
});

export const smitherySchema = z
  .looseObject({
    startCommand: startCommand.optional(),
    runtime: z.string().max(100).optional(),
    build: z.looseObject({ dockerfile: text.optional(), dockerBuildPath: text.optional() }).optional(),
    env: z.record(z.string(), scalar).optional(),
  })
  .refine((d) => d.startCommand !== undefined || d.runtime !== undefined || d.build !== undefined, {
    message: "a smithery.yaml needs `startCommand` or `runtime`",
  });

export function isSmitheryPath(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base === "smithery.yaml" || base === "smithery.yml";
}

/** Launches in `startCommand`, with lines in the YAML file. */
function launchesOf(start: z.infer<typeof startCommand>, lines: LineIndex): ManifestLaunch[] {
  const launches: ManifestLaunch[] = [];
  if (start.command !== undefined) {
    const line = yamlLine(lines, ["startCommand", "command"]);
    launches.push({ label: "startCommand", command: start.command, args: start.args ?? [], line, endLine: line });
  }
  if (start.commandFunction !== undefined) {
    const keyLine = yamlLine(lines, ["startCommand", "commandFunction"]);
    // The function starts on the key's line or, as a block scalar (`|-`), after the indicator
    // and any comments: find its first line in the file.
    const sourceLines = start.commandFunction.split("\n");
    const skipped = sourceLines.findIndex((l) => l.trim() !== "");
    const firstText = (sourceLines[skipped] ?? "").trim();
    let first = keyLine;
    for (let l = keyLine; firstText !== "" && l <= Math.min(lines.count, keyLine + 50); l++) {
      if (lines.lineText(l).includes(firstText)) {
        first = l - Math.max(0, skipped);
        break;
      }
    }
    const last = Math.min(lines.count, first + sourceLines.length - 1);
    for (const l of readCommandFunction(start.commandFunction)) {
      launches.push({ label: "startCommand.commandFunction", command: l.command, args: l.args, line: Math.min(first + l.row, last), endLine: last });
    }
  }
  return launches;
}

export function readSmithery(path: string, source: string): SmitheryDocument {
  const parsed = parseYamlManifest(source);
  const doc: SmitheryDocument = { format: "smithery.yaml", path, problems: parsed.problems, valid: false, launches: [] };
  if (parsed.value === undefined && parsed.problems.length > 0) return doc;
  const result = smitherySchema.safeParse(parsed.value);
  if (!result.success) return { ...doc, problems: [...parsed.problems, ...schemaProblems(result.error, parsed)] };
  const data = result.data;
  const lines = new LineIndex(source);
  doc.valid = true;
  if (data.startCommand) {
    doc.startType = data.startCommand.type;
    doc.launches = launchesOf(data.startCommand, lines);
  }
  if (data.runtime !== undefined) doc.runtime = data.runtime;
  return doc;
}
