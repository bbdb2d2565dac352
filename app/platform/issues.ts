/**
 * The report issue on GitHub: finding it again, and the writes the lifecycle planner asks for.
 * The only code that reads or writes issues. Found by the hidden marker AND this App's login,
 * client-side over the repository's issues: never by title (anyone can copy a title) and never
 * through the search API (eventually consistent, so a fresh issue would be missed).
 */
import { hasMarker } from "../../lib/report/index.js";
import type { ExistingIssue, IssueAction } from "../lifecycle.js";
import { fitBody } from "./body.js";
import { describeError, statusOf } from "./errors.js";
import { ensureLabels } from "./labels.js";
import type { Logger, Octokit, RepoRef } from "./types.js";

export const ISSUE_TITLE = "Security scan results for your MCP server";

export interface FoundIssues {
  /** The report issue to keep: the oldest open one, else the oldest closed one. */
  primary: ExistingIssue | null;
  /** Other open report issues (from a race or a restore); closed in favour of the primary. */
  duplicates: ExistingIssue[];
}

/** Shape of the issue fields we read, from the list or the single-issue endpoint. */
interface IssueData {
  number: number;
  state: string;
  body?: string | null;
  user?: { login?: string } | null;
  closed_by?: { login?: string } | null;
  pull_request?: unknown;
  repository_url?: string;
}

/**
 * Remembers which issue number is the report, per repository, so the usual scan reads one
 * issue instead of paging through every issue of a busy repository. Bounded; process-wide.
 */
export class KnownIssues {
  readonly #numbers = new Map<string, number>();
  constructor(private readonly capacity = 5_000) {}

  get(ref: RepoRef): number | undefined {
    return this.#numbers.get(keyOf(ref));
  }

  set(ref: RepoRef, number: number): void {
    const key = keyOf(ref);
    this.#numbers.delete(key);
    this.#numbers.set(key, number);
    if (this.#numbers.size > this.capacity) {
      const oldest = this.#numbers.keys().next().value;
      if (oldest !== undefined) this.#numbers.delete(oldest);
    }
  }

  forget(ref: RepoRef): void {
    this.#numbers.delete(keyOf(ref));
  }
}

export interface IssuePlatformOptions {
  octokit: Octokit;
  ref: RepoRef;
  /** `<slug>[bot]`: only issues authored by this login are ours. */
  botLogin: string;
  log: Logger;
  known?: KnownIssues;
  /** Log the writes instead of making them. */
  dryRun?: boolean;
}

export class IssuePlatform {
  readonly #octokit: Octokit;
  readonly #ref: RepoRef;
  readonly #bot: string;
  readonly #log: Logger;
  readonly #known: KnownIssues | undefined;
  readonly #dryRun: boolean;

  constructor(options: IssuePlatformOptions) {
    this.#octokit = options.octokit;
    this.#ref = options.ref;
    this.#bot = options.botLogin;
    this.#log = options.log;
    this.#known = options.known;
    this.#dryRun = options.dryRun ?? false;
  }

  async find(): Promise<FoundIssues> {
    const remembered = await this.#rememberedIssue();
    if (remembered) return { primary: remembered, duplicates: [] };

    const ours: ExistingIssue[] = [];
    const pages = this.#octokit.paginate.iterator(this.#octokit.rest.issues.listForRepo, {
      ...this.#ref,
      state: "all",
      sort: "created",
      direction: "asc",
      per_page: 100,
    });
    for await (const page of pages) {
      for (const item of page.data as IssueData[]) {
        if (this.#isOurs(item)) ours.push(this.#toExisting(item));
      }
    }

    ours.sort((a, b) => a.number - b.number);
    const open = ours.filter((issue) => issue.state === "open");
    const primary = open[0] ?? ours[0] ?? null;
    const duplicates = open.filter((issue) => issue !== primary);
    if (primary) this.#known?.set(this.#ref, primary.number);
    return { primary, duplicates };
  }

  /** Carries out one planned action; returns the report issue's number, if there is one. */
  async apply(action: IssueAction, labels: string[]): Promise<number | null> {
    const ref = this.#ref;
    switch (action.kind) {
      case "none":
        this.#log.info({ ...ref, reason: action.reason }, "report issue left as it is");
        return null;
      case "create": {
        if (this.#dry("create issue", { bodyLength: action.body.length, labels })) return null;
        const usable = await ensureLabels(this.#octokit, ref, labels, this.#log);
        const number = await this.#create(fitBody(action.body), usable);
        this.#known?.set(ref, number);
        this.#log.info({ ...ref, issue: number, labels: usable }, "report issue created");
        return number;
      }
      case "update":
        if (this.#dry("update issue", { issue: action.number, bodyLength: action.body.length })) return action.number;
        await this.#octokit.rest.issues.update({ ...ref, issue_number: action.number, body: fitBody(action.body) });
        this.#log.info({ ...ref, issue: action.number }, "report issue updated");
        return action.number;
      case "close":
        if (this.#dry("close issue", { issue: action.number, comment: action.comment })) return action.number;
        // Comment first so the reason appears above the "closed" event in the timeline.
        await this.#octokit.rest.issues.createComment({ ...ref, issue_number: action.number, body: action.comment });
        await this.#octokit.rest.issues.update({
          ...ref,
          issue_number: action.number,
          body: fitBody(action.body),
          state: "closed",
          state_reason: "completed",
        });
        this.#log.info({ ...ref, issue: action.number }, "report issue closed: scan is clean");
        return action.number;
      case "reopen": {
        if (this.#dry("reopen issue", { issue: action.number, newFindings: action.newFindings })) return action.number;
        await this.#octokit.rest.issues.update({
          ...ref,
          issue_number: action.number,
          body: fitBody(action.body),
          state: "open",
        });
        const noun = action.newFindings === 1 ? "finding" : "findings";
        await this.#octokit.rest.issues.createComment({
          ...ref,
          issue_number: action.number,
          body: `Reopening: the latest scan has ${action.newFindings} new ${noun} that this issue did not report when it was closed.`,
        });
        this.#log.info({ ...ref, issue: action.number, newFindings: action.newFindings }, "report issue reopened");
        return action.number;
      }
    }
  }

  /** Closes the extra open report issues, each with a comment pointing to the one kept. */
  async closeDuplicates(duplicates: ExistingIssue[], keep: number): Promise<void> {
    for (const duplicate of duplicates) {
      if (this.#dry("close duplicate issue", { issue: duplicate.number, keep })) continue;
      await this.#octokit.rest.issues.createComment({
        ...this.#ref,
        issue_number: duplicate.number,
        body: `Closing as a duplicate of #${keep}, which holds the current scan results.`,
      });
      await this.#octokit.rest.issues.update({
        ...this.#ref,
        issue_number: duplicate.number,
        state: "closed",
        state_reason: "not_planned",
      });
      this.#log.info({ ...this.#ref, issue: duplicate.number, keep }, "duplicate report issue closed");
    }
  }

  async #create(body: string, labels: string[]): Promise<number> {
    try {
      const { data } = await this.#octokit.rest.issues.create({ ...this.#ref, title: ISSUE_TITLE, body, labels });
      return data.number;
    } catch (error) {
      // Some installations may not apply labels; the report matters more than its labels.
      const status = statusOf(error);
      if (labels.length === 0 || (status !== 403 && status !== 422)) throw error;
      this.#log.info({ ...this.#ref, err: describeError(error) }, "issue creation with labels refused: retrying without");
      const { data } = await this.#octokit.rest.issues.create({ ...this.#ref, title: ISSUE_TITLE, body });
      return data.number;
    }
  }

  /** The cached report issue, re-read and re-verified; null sends the caller to the full listing. */
  async #rememberedIssue(): Promise<ExistingIssue | null> {
    const number = this.#known?.get(this.#ref);
    if (number === undefined) return null;
    try {
      const { data } = await this.#octokit.rest.issues.get({ ...this.#ref, issue_number: number });
      const item = data as IssueData;
      if (this.#isOurs(item) && this.#inThisRepository(item)) return this.#toExisting(item);
    } catch (error) {
      const status = statusOf(error);
      // 404/410 here may only mean the issue was deleted; anything else is a real failure.
      if (status !== 404 && status !== 410 && status !== 301) throw error;
    }
    this.#known?.forget(this.#ref);
    return null;
  }

  #isOurs(item: IssueData): boolean {
    return !item.pull_request && item.user?.login === this.#bot && hasMarker(item.body ?? "");
  }

  /** A transferred issue is answered through a redirect, from the repository it moved to. */
  #inThisRepository(item: IssueData): boolean {
    const expected = `/repos/${this.#ref.owner}/${this.#ref.repo}`.toLowerCase();
    return typeof item.repository_url === "string" && item.repository_url.toLowerCase().endsWith(expected);
  }

  #toExisting(item: IssueData): ExistingIssue {
    const state = item.state === "closed" ? "closed" : "open";
    const closer = item.closed_by?.login;
    const issue: ExistingIssue = { number: item.number, state, body: item.body ?? "" };
    if (state === "closed" && closer) issue.closedByUser = closer !== this.#bot;
    return issue;
  }

  #dry(what: string, details: object): boolean {
    if (!this.#dryRun) return false;
    this.#log.info({ ...this.#ref, ...details }, `dry run: would ${what}`);
    return true;
  }
}

function keyOf(ref: RepoRef): string {
  return `${ref.owner}/${ref.repo}`.toLowerCase();
}
