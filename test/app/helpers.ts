/** Shared test data for the App: webhook payloads, repository tarballs, GitHub mocks. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { pack } from "tar-stream";

export const API = "https://api.github.com";
export const CODELOAD = "https://codeload.github.com";
export const BOT = "mcp-warden[bot]";
export const FIXTURES = join(process.cwd(), "test", "fixtures", "app");

/**
 * Octokit without retries or throttling. A function, not an object: Probot merges its own
 * throttle options over an object's, and the write throttle would space requests by seconds.
 */
export const TestOctokit = ProbotOctokit.defaults((options: object) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Real webhook payloads from @octokit/webhooks-examples, adapted.

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown>>;
}

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as ExampleGroup[];

function example(name: string, match: (payload: Record<string, unknown>) => boolean): Record<string, unknown> {
  const group = examples.find((candidate) => candidate.name === name);
  const found = group?.examples.find(match);
  if (!found) throw new Error(`no ${name} example matched`);
  return structuredClone(found);
}

export const OWNER = "Codertocat";
export const REPO = "Hello-World";

/** A push to the default branch (`master` in the example) of Codertocat/Hello-World. */
export function pushPayload(overrides: { after?: string; ref?: string; deleted?: boolean } = {}): Record<string, unknown> {
  const payload = example("push", (p) => p.ref === "refs/heads/master" && p.installation !== undefined);
  if (overrides.after !== undefined) payload.after = overrides.after;
  if (overrides.ref !== undefined) payload.ref = overrides.ref;
  if (overrides.deleted !== undefined) payload.deleted = overrides.deleted;
  return payload;
}

/** A tag push from the examples (`refs/tags/simple-tag`), given an installation. */
export function tagPushPayload(): Record<string, unknown> {
  const payload = example("push", (p) => p.ref === "refs/tags/simple-tag" && p.deleted === false);
  payload.installation = { id: 1, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return payload;
}

/** A branch deletion of the default branch, from the example's deletion shape. */
export function deletionPayload(): Record<string, unknown> {
  const payload = example("push", (p) => p.deleted === true && p.installation !== undefined);
  payload.ref = "refs/heads/master";
  return payload;
}

/** installation.created listing the given repositories of Codertocat. */
export function installationPayload(names: string[]): Record<string, unknown> {
  const payload = example("installation", (p) => p.action === "created");
  const template = (payload.repositories as Array<Record<string, unknown>>)[0]!;
  payload.repositories = names.map((name, i) => ({
    ...template,
    id: 186853002 + i,
    name,
    full_name: `${OWNER}/${name}`,
  }));
  return payload;
}

export function repositoriesAddedPayload(names: string[]): Record<string, unknown> {
  const payload = example("installation_repositories", (p) => p.action === "added");
  const template = (payload.repositories_added as Array<Record<string, unknown>>)[0]!;
  payload.repositories_added = names.map((name, i) => ({ ...template, id: 186853007 + i, name, full_name: `${OWNER}/${name}` }));
  return payload;
}

// ---------------------------------------------------------------------------------------------
// Repository contents.

export type Files = Record<string, string>;

export function fixture(name: string): Files {
  const root = join(FIXTURES, name);
  const files: Files = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(root, full).split(sep).join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(root);
  return files;
}

/** A gzipped tar shaped like GitHub's: one top-level `owner-repo-sha7/` folder. */
export async function tarball(files: Files, sha: string, repo = REPO): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on("data", (chunk: unknown) => void chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    archive.on("end", () => resolve());
    archive.on("error", reject);
  });
  const top = `${OWNER}-${repo}-${sha.slice(0, 7)}`;
  archive.entry({ name: `${top}/`, type: "directory" });
  for (const [path, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    archive.entry({ name: `${top}/${path}` }, content);
  }
  archive.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks));
}

// ---------------------------------------------------------------------------------------------
// GitHub, mocked.

/** The tarball endpoint redirects to codeload, as GitHub does; both are served here. */
export async function serveTarball(files: Files, sha: string, repo = REPO): Promise<void> {
  const body = await tarball(files, sha, repo);
  nock(API)
    .get(`/repos/${OWNER}/${repo}/tarball/${sha}`)
    .reply(302, "", { location: `${CODELOAD}/legacy.tar.gz/${OWNER}/${repo}/${sha}` });
  nock(CODELOAD)
    .get(`/legacy.tar.gz/${OWNER}/${repo}/${sha}`)
    .reply(200, body, { "content-type": "application/x-gzip" });
}

/** No `.github/mcp-warden.yml` in the repository nor in the organisation's `.github`. */
export function serveNoConfig(repo = REPO): void {
  nock(API).get(`/repos/${OWNER}/${repo}/contents/.github%2Fmcp-warden.yml`).query(true).reply(404);
  nock(API).get(`/repos/${OWNER}/.github/contents/.github%2Fmcp-warden.yml`).reply(404);
}

export function serveBotLogin(): void {
  nock(API).get("/app").reply(200, { id: 1, slug: "mcp-warden", name: "mcp-warden" });
}

/** Advisory lookups: an empty database unless records are given (REST shape). */
export function serveAdvisories(records: object[] = [], times = 1): void {
  nock(API).get("/advisories").query(true).times(times).reply(200, records);
}

export interface IssueFixture {
  number: number;
  state: "open" | "closed";
  body: string;
  login?: string;
  closedBy?: string;
  pullRequest?: boolean;
  repo?: string;
}

/** An issue in the REST shape, with the fields the App reads. */
export function issueData(issue: IssueFixture): Record<string, unknown> {
  const repo = issue.repo ?? REPO;
  return {
    id: 1000 + issue.number,
    number: issue.number,
    title: "Security scan results for your MCP server",
    state: issue.state,
    body: issue.body,
    user: { login: issue.login ?? BOT, type: issue.login ? "User" : "Bot" },
    closed_by: issue.closedBy ? { login: issue.closedBy } : null,
    repository_url: `${API}/repos/${OWNER}/${repo}`,
    html_url: `https://github.com/${OWNER}/${repo}/issues/${issue.number}`,
    ...(issue.pullRequest ? { pull_request: { url: "x" } } : {}),
  };
}

export function serveIssueList(issues: IssueFixture[], repo = REPO): void {
  nock(API)
    .get(`/repos/${OWNER}/${repo}/issues`)
    .query((query) => query.state === "all")
    .reply(200, issues.map(issueData));
}

/** Labels exist already (422 from create). */
export function serveLabelsExist(repo = REPO): void {
  nock(API).post(`/repos/${OWNER}/${repo}/labels`).times(2).reply(422, { message: "Validation Failed", errors: [{ code: "already_exists" }] });
}

export function pendingMocks(): string[] {
  return nock.pendingMocks();
}

/**
 * Records requests no mock answered, so "makes no request" assertions are real: with the
 * network disabled such a request fails inside the scan, which the App only logs.
 */
export function trackUnmatched(): { requests: string[]; stop(): void } {
  const requests: string[] = [];
  const listener = (req: { method?: string; href?: string; url?: string; path?: string }) => {
    requests.push(`${req.method ?? "?"} ${req.href ?? req.url ?? req.path ?? "?"}`);
  };
  nock.emitter.on("no match", listener);
  return { requests, stop: () => void nock.emitter.removeListener("no match", listener) };
}

/** Fingerprints the engine gives a fixture (no advisories), to build "previous" issue bodies. */
export async function fingerprintsOf(files: Files): Promise<string[]> {
  const { scanSnapshot } = await import("../../lib/scan.js");
  const { snapshotFromTarball } = await import("../../lib/snapshot/index.js");
  const result = await scanSnapshot(await snapshotFromTarball(await tarball(files, "0".repeat(40))), { config: { raw: {} } });
  return result.findings.map((finding) => finding.fingerprint);
}
