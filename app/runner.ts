/**
 * The I/O and error boundary: one ScanJob in, GitHub calls and log lines out. Everything it
 * decides is delegated (engine in lib/, issue planning in lifecycle.ts, GitHub calls in
 * platform/); what it owns is the order of the steps and that no failure escapes as a crash.
 */
import { CONFIG_PATH } from "../lib/config/index.js";
import { detectServers } from "../lib/detect/index.js";
import { parseReportState, renderIssueBody } from "../lib/report/index.js";
import { toolChangesSince, toolRecords, type ToolChanges } from "../lib/report/tool-fingerprints.js";
import type { ScanResult } from "../lib/result.js";
import { scanSnapshot } from "../lib/scan.js";
import type { SharedAdvisories } from "./advisories.js";
import { planIssueSync } from "./lifecycle.js";
import {
  BotIdentity,
  describeError,
  downloadSnapshot,
  IssuePlatform,
  KnownIssues,
  resolveDefaultHead,
  statusOf,
  TarballTooLargeError,
  type Logger,
  type Octokit,
  type RepoRef,
} from "./platform/index.js";

/** One scan to do. Plain data, so the queue can compare, drop and log it. */
export interface ScanJob {
  owner: string;
  repo: string;
  /** Commit to scan; absent for installation events: the default branch head, resolved when run. */
  sha?: string;
  installationId: number;
}

export interface RunnerOptions {
  /** An octokit authenticated as the installation (Probot's `app.auth(id)`). */
  auth: (installationId: number) => Promise<Octokit>;
  advisories: SharedAdvisories;
  bot?: BotIdentity;
  known?: KnownIssues;
  /** Log the issue writes instead of making them. */
  dryRun?: boolean;
  maxTarballBytes?: number;
}

export type ScanRunner = (job: ScanJob, log: Logger) => Promise<void>;

export function createRunner(options: RunnerOptions): ScanRunner {
  const bot = options.bot ?? new BotIdentity();
  const known = options.known ?? new KnownIssues();

  return async function runScan(job, parentLog) {
    const ref: RepoRef = { owner: job.owner, repo: job.repo };
    let log = parentLog.child({ owner: job.owner, repo: job.repo, ...(job.sha ? { sha: job.sha } : {}) });
    try {
      // 1. Who we are on this installation.
      const octokit = await options.auth(job.installationId);

      // 2. Which commit (installation events name repositories only).
      let sha = job.sha;
      if (!sha) {
        const head = await resolveDefaultHead(octokit, ref);
        if (!head.ok) {
          log.info({ reason: head.reason }, "scan skipped");
          return;
        }
        sha = head.sha;
        log = log.child({ sha, branch: head.branch });
      }

      // 3. The repository at that commit, in memory.
      const snapshot = await downloadSnapshot(octokit, ref, sha, options.maxTarballBytes);

      // 4. Only repositories with an MCP server cost more than the tarball request.
      const servers = detectServers(snapshot);
      if (servers.length === 0) {
        log.info({ files: snapshot.files.size }, "scan skipped: no MCP server found");
        return;
      }
      log.info({ servers: servers.map((server) => server.root) }, "MCP servers found: scanning");

      // 5. The maintainer's configuration; a broken one is reported in the issue, never fatal.
      const config = await readConfig(octokit, ref, sha, log);

      // 6. The scan, with advisories looked up through this installation.
      const scanned = await options.advisories.run(octokit, (advisorySource) =>
        scanSnapshot(snapshot, { config: { raw: config.raw }, advisorySource, servers }),
      );
      const result = config.error ? { ...scanned, configErrors: [config.error, ...scanned.configErrors] } : scanned;
      log.info({ findings: result.findings.length, score: result.score.score }, "scan finished");

      // 7. The one report issue.
      await syncIssue({ octokit, ref, sha, result, log, bot, known, dryRun: options.dryRun ?? false });
    } catch (error) {
      logFailure(log, error);
    }
  };
}

interface SyncInput {
  octokit: Octokit;
  ref: RepoRef;
  sha: string;
  result: ScanResult;
  log: Logger;
  bot: BotIdentity;
  known: KnownIssues;
  dryRun: boolean;
}

async function syncIssue({ octokit, ref, sha, result, log, bot, known, dryRun }: SyncInput): Promise<void> {
  const botLogin = await bot.login(octokit);
  const platform = new IssuePlatform({ octokit, ref, botLogin, log, known, dryRun });
  const { primary, duplicates } = await platform.find();

  const previous = primary ? parseReportState(primary.body) : null;
  const body = renderIssueBody(result, { owner: ref.owner, repo: ref.repo, sha, previous });
  logToolChanges(log, toolChangesSince(previous, toolRecords(result.servers)));
  const fingerprints = result.findings.map((finding) => finding.fingerprint);
  const action = planIssueSync(primary, { body, fingerprints, hasFindings: result.findings.length > 0, sha });

  if (primary && duplicates.length > 0) await platform.closeDuplicates(duplicates, primary.number);
  await platform.apply(action, result.config.issue.labels);
}

/** Tool definitions that changed since the last report (the issue shows them too): a rug pull shows up here first. */
function logToolChanges(log: Logger, changes: ToolChanges | null): void {
  if (!changes || changes.changes.length === 0) return;
  const tools = changes.changes.slice(0, 20).map((c) => ({ kind: c.kind, server: c.server, tool: c.name, parts: c.parts }));
  log.info({ toolChanges: tools, total: changes.changes.length }, "tool definitions changed since the last report");
}

interface ConfigRead {
  raw: unknown;
  error?: { field: string; message: string };
}

/**
 * `.github/mcp-warden.yml` at the scanned commit, through Probot's config plugin so that an
 * organisation's `.github` repository can hold defaults (`_extends`). A read failure (invalid
 * YAML, a broken `_extends`) becomes a configuration error shown in the report; the scan runs
 * with the defaults.
 */
async function readConfig(octokit: Octokit, ref: RepoRef, sha: string, log: Logger): Promise<ConfigRead> {
  try {
    const { config } = await octokit.config.get({ ...ref, path: CONFIG_PATH, branch: sha });
    return { raw: config };
  } catch (error) {
    const { message } = describeError(error);
    log.info({ err: { message } }, "configuration could not be read: using the defaults");
    return { raw: {}, error: { field: "(file)", message: `${CONFIG_PATH} could not be read: ${cleanConfigMessage(message)}; using defaults` } };
  }
}

/** The plugin's messages carry its package name and API URLs; the maintainer needs the rest. */
function cleanConfigMessage(message: string): string {
  return message
    .replace(/^\[@probot\/octokit-plugin-config\]\s*/, "")
    .replace(/\s*(?:from|in)\s+https?:\/\/\S+/g, "")
    .trim();
}

function logFailure(log: Logger, error: unknown): void {
  const err = describeError(error);
  const status = statusOf(error);
  if (status === 410) {
    log.info({ err }, "issues are disabled on this repository: report not posted");
  } else if (error instanceof TarballTooLargeError) {
    log.warn({ err }, "scan skipped: repository too large");
  } else if (status === 404 || status === 451) {
    log.info({ err }, "scan skipped: repository or commit is no longer reachable");
  } else {
    log.error({ err }, "scan failed");
  }
}
