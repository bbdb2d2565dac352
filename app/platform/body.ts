/**
 * GitHub rejects issue and comment bodies over 65,536 characters. The renderer budgets well
 * below that; this is the last line of defence so a renderer bug degrades the report instead
 * of failing the write.
 */
import { hasMarker, REPORT_MARKER } from "../../lib/report/index.js";

export const GITHUB_BODY_LIMIT = 65_536;

const STATE_OPENER = "<!-- mcp-warden:state";
const TRUNCATION_NOTE =
  "\n\n> **Note:** this report was too long for a GitHub issue and was cut here. " +
  "Run `mcp-warden scan . --format json` for the full list.\n\n";

/** Returns the body unchanged when it fits; otherwise keeps the marker, the top and the state. */
export function fitBody(body: string, limit: number = GITHUB_BODY_LIMIT): string {
  const withMarker = hasMarker(body) ? body : `${REPORT_MARKER}\n${body}`;
  if (withMarker.length <= limit) return withMarker;

  // The hidden state (fingerprints for the next scan) sits at the end; keep it when it is small
  // enough to leave room for a useful top of the report.
  const stateAt = withMarker.lastIndexOf(STATE_OPENER);
  let tail = stateAt >= 0 ? withMarker.slice(stateAt) : "";
  if (tail.length > limit / 2) tail = "";

  // Room for the marker and for closing a code fence or <details> the cut left open.
  const headBudget = limit - TRUNCATION_NOTE.length - tail.length - REPORT_MARKER.length - 200;
  const head = cutAtLineBoundary(withMarker.slice(0, stateAt >= 0 && tail ? stateAt : undefined), headBudget);
  const fitted = `${ensureMarker(closeOpenBlocks(head))}${TRUNCATION_NOTE}${tail}`;
  return fitted.length <= limit ? fitted : fitted.slice(0, limit);
}

function ensureMarker(head: string): string {
  return hasMarker(head) ? head : `${REPORT_MARKER}\n${head}`;
}

/** Cuts at the last newline within budget, so no table row or code fence line is split. */
function cutAtLineBoundary(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const slice = text.slice(0, Math.max(0, budget));
  const newline = slice.lastIndexOf("\n");
  // A line boundary is preferred, unless it would throw away most of the budget (one huge line).
  const cut = newline > slice.length / 2 ? slice.slice(0, newline) : slice;
  // Never leave half a surrogate pair at the end.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/**
 * A cut inside a code fence would swallow the note and the state into the code block, and an
 * open <details> would hide them; close what the cut left open.
 */
function closeOpenBlocks(head: string): string {
  let fence: string | null = null;
  let details = 0;
  for (const line of head.split("\n")) {
    const match = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null) {
      if (match) fence = match[1]!;
      else details += (line.match(/<details\b/gi)?.length ?? 0) - (line.match(/<\/details>/gi)?.length ?? 0);
    } else if (match && match[1]![0] === fence[0] && match[1]!.length >= fence.length && line.trim() === match[1]) {
      fence = null;
    }
  }
  let closing = fence === null ? "" : `\n${fence}`;
  for (let i = 0; i < Math.min(details, 10); i += 1) closing += "\n</details>";
  return head + closing;
}
