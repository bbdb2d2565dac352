/**
 * What to do with the report issue, decided from the existing issue and the new scan alone.
 * Pure: no I/O, so every branch of the lifecycle is unit-tested without GitHub.
 */
import { changesSince, comparableBody, parseReportState } from "../lib/report/index.js";

export interface ExistingIssue {
  number: number;
  state: "open" | "closed";
  body: string;
  /**
   * True when a person (not this App) closed it, false when this App did, undefined when
   * unknown. A person closing the report is saying something; see planIssueSync.
   */
  closedByUser?: boolean;
}

export interface DesiredReport {
  /** The full rendered issue body. */
  body: string;
  /** Fingerprints of the posted findings. */
  fingerprints: string[];
  hasFindings: boolean;
  /** The commit scanned; lets a re-delivered push of the same commit change nothing. */
  sha?: string;
}

export type IssueAction =
  | { kind: "none"; reason: string }
  | { kind: "create"; body: string }
  | { kind: "update"; number: number; body: string }
  /** Body is refreshed in the same write so the closed issue records "no findings" as its state. */
  | { kind: "close"; number: number; body: string; comment: string }
  | { kind: "reopen"; number: number; body: string; newFindings: number };

export function planIssueSync(existing: ExistingIssue | null, desired: DesiredReport): IssueAction {
  if (!existing) {
    return desired.hasFindings
      ? { kind: "create", body: desired.body }
      : { kind: "none", reason: "clean scan and no report issue: nothing to open" };
  }

  const recorded = parseReportState(existing.body);

  if (existing.state === "closed") {
    if (!desired.hasFindings) return { kind: "none", reason: "clean scan and the report issue is closed" };
    // Closed by this App (everything was fixed): any finding is a regression worth reopening for.
    if (existing.closedByUser === false) {
      return { kind: "reopen", number: existing.number, body: desired.body, newFindings: unique(desired.fingerprints).length };
    }
    // Without a readable state nothing is known to have been reported: every finding is new.
    // A partial state only speaks for what it recorded; changesSince never guesses beyond it.
    const fresh = recorded ? changesSince(recorded, desired.fingerprints).added.length : unique(desired.fingerprints).length;
    if (fresh === 0) {
      return { kind: "none", reason: "report issue was closed and the scan found nothing it did not already report" };
    }
    return { kind: "reopen", number: existing.number, body: desired.body, newFindings: fresh };
  }

  if (!desired.hasFindings) {
    const at = desired.sha ? ` as of ${desired.sha.slice(0, 7)}` : "";
    return {
      kind: "close",
      number: existing.number,
      body: desired.body,
      comment: `All findings are fixed${at}. Closing.`,
    };
  }

  if (existing.body === desired.body) return { kind: "none", reason: "report unchanged" };

  // A push that changes nothing but the commit (same findings, evidence and lines) must not
  // write or notify; the "since the last scan" line, measured against itself, is ignored too.
  if (comparableBody(existing.body) === comparableBody(desired.body)) {
    return { kind: "none", reason: "findings unchanged since the reported commit" };
  }

  return { kind: "update", number: existing.number, body: desired.body };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
