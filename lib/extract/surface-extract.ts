import type { Node } from "web-tree-sitter";
import type { Resolver } from "./resolve.js";
import { extractGoSurface } from "./surface-go.js";
import { extractPythonSurface } from "./surface-py.js";
import { extractJsSurface } from "./surface-ts.js";
import type { SurfaceFacts } from "./surface-types.js";
import type { SourceLanguage } from "./types.js";

/** Prompts, resources and server instructions in one parsed file. */
export function extractSurface(root: Node, lang: SourceLanguage, path: string, resolver: Resolver): SurfaceFacts {
  if (lang === "python") return extractPythonSurface(root, resolver, path);
  if (lang === "go") return extractGoSurface(root, resolver, path);
  return extractJsSurface(root, resolver, path);
}
