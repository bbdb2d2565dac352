import type { Node } from "web-tree-sitter";
import type { Resolver } from "./resolve.js";
import type { ResolvedText } from "./types.js";

/** Small helpers the prompt/resource/instructions extractors of every language share. */

/** Sets an optional field only when there is a value, so absent fields stay absent. */
export function assign<T extends object>(target: T, key: keyof T, value: T[keyof T] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** The node's text when it resolves statically, else undefined. */
export function plainText(node: Node | undefined, resolver: Resolver): string | undefined {
  if (!node) return undefined;
  const t = resolver.text(node);
  return t.dynamic ? undefined : t.value;
}

/** The node's text as far as it resolves (dynamic parts marked). */
export function resolvedText(node: Node | undefined, resolver: Resolver): ResolvedText | undefined {
  return node ? resolver.text(node) : undefined;
}
