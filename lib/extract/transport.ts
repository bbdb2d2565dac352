import type { Node } from "web-tree-sitter";
import type { SourceLanguage, Span } from "./types.js";

/** A transport or security-configuration fact (listen address, CORS, TLS, JWT, ...). */
export interface TransportFact {
  kind: string;
  span: Span;
}

/** Transport and security-configuration facts of one parsed file. */
export function extractTransportFacts(_root: Node, _lang: SourceLanguage, _path: string, _text: string): TransportFact[] {
  return [];
}
