/**
 * The App end to end on `push`: real webhook payload shapes, GitHub and codeload mocked with
 * nock, the real engine. Every test ends with no pending mock and no unanswered request.
 */
import nock from "nock";
import { REPORT_MARKER, renderState } from "../../lib/report/index.js";
import { endToEnd, harness, type Harness } from "./harness.js";
import {
  API,
  deletionPayload,
  fingerprintsOf,
  fixture,
  issueData,
  OWNER,
  pushPayload,
  REPO,
  serveAdvisories,
  serveBotLogin,
  serveIssueList,
  serveLabelsExist,
  serveNoConfig,
  serveTarball,
  tagPushPayload,
} from "./helpers.js";

const SHA1 = "6113728f27ae82c7b1a177c8d03f9e96e0adf246"; // the example payload's `after`
const SHA2 = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const SHA3 = "b2c3d4e5f60718293a4b5c6d7e8f901234567890";
const ISSUES = `/repos/${OWNER}/${REPO}/issues`;

const vulnerable = fixture("vulnerable");
const fixed = fixture("fixed");
const plain = fixture("plain");
/** The vulnerable server plus one more unpinned launch: one finding the first scan did not have. */
const worse = {
  ...vulnerable,
  ".mcp.json": JSON.stringify({
    mcpServers: {
      weather: { command: "node", args: ["build/index.js"] },
      "remote-maps": { command: "npx", args: ["-y", "mcp-remote", "https://maps.example.com/mcp"] },
      search: { command: "uvx", args: ["mcp-server-search"] },
    },
  }),
};

let app: Harness;
endToEnd((a) => {
  app = a;
});

/** Everything a scan of an MCP repository reads before it touches issues. */
async function serveScan(files: Record<string, string>, sha: string, options: { bot?: boolean; advisories?: boolean } = {}) {
  await serveTarball(files, sha);
  serveNoConfig();
  if (options.advisories !== false) serveAdvisories();
  if (options.bot !== false) serveBotLogin();
}

/** Captures the body of the issue the App creates and answers with `number`. */
function expectIssueCreated(number: number, labels = ["security", "mcp-warden"]): { body: string } {
  const seen = { body: "" };
  nock(API)
    .post(ISSUES, (data: { title: string; body: string; labels?: string[] }) => {
      seen.body = data.body;
      return data.title === "Security scan results for your MCP server" && JSON.stringify(data.labels ?? []) === JSON.stringify(labels);
    })
    .reply(201, { number });
  return seen;
}

function errors(): unknown[] {
  return app.logs.filter((line) => line.level >= 50);
}

describe("push to the default branch", () => {
  it("creates the report issue with the expected findings, and the missing labels", async () => {
    await serveScan(vulnerable, SHA1);
    serveIssueList([]);
    const labels: string[] = [];
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/labels`, (label: { name: string }) => labels.push(label.name) > 0)
      .times(2)
      .reply(201, {});
    const created = expectIssueCreated(1);

    await app.deliver("push", pushPayload());

    expect(labels).toEqual(["security", "mcp-warden"]);
    expect(created.body.startsWith(REPORT_MARKER)).toBe(true);
    expect(created.body).toContain("MCPW-EXEC-001");
    expect(created.body).toContain("MCPW-LAUNCH-001");
    expect(created.body).toContain(`https://github.com/${OWNER}/${REPO}/blob/${SHA1}/src/index.ts#L14`);
    expect(created.body).toContain(`"sha":"${SHA1}"`);
    expect(errors()).toEqual([]);
  });

  it("writes nothing when the same push arrives again", async () => {
    await serveScan(vulnerable, SHA1);
    serveIssueList([]);
    serveLabelsExist();
    const created = expectIssueCreated(1);
    await app.deliver("push", pushPayload());

    // The second scan: the issue is read back directly; advisories and bot login come from caches.
    await serveTarball(vulnerable, SHA1);
    serveNoConfig();
    nock(API).get(`${ISSUES}/1`).reply(200, issueData({ number: 1, state: "open", body: created.body }));
    await app.deliver("push", pushPayload());

    expect(app.logs.some((line) => line.msg === "report issue left as it is")).toBe(true);
    expect(errors()).toEqual([]);
  });

  it("writes nothing for a new commit that leaves the findings as they were", async () => {
    await serveScan(vulnerable, SHA1);
    serveIssueList([]);
    serveLabelsExist();
    const created = expectIssueCreated(1);
    await app.deliver("push", pushPayload());

    // Same tree at another commit (a README edit elsewhere, say): no PATCH is mocked, so a write fails the test.
    await serveTarball(vulnerable, SHA2);
    serveNoConfig();
    nock(API).get(`${ISSUES}/1`).reply(200, issueData({ number: 1, state: "open", body: created.body }));
    await app.deliver("push", pushPayload({ after: SHA2 }));

    expect(app.logs.some((line) => line.msg === "report issue left as it is")).toBe(true);
    expect(errors()).toEqual([]);
  });

  it("updates the issue in place when the findings change, and closes it with a comment once everything is fixed", async () => {
    await serveScan(vulnerable, SHA1);
    serveIssueList([]);
    serveLabelsExist();
    const created = expectIssueCreated(1);
    await app.deliver("push", pushPayload());

    await serveTarball(worse, SHA2);
    serveNoConfig();
    nock(API).get(`${ISSUES}/1`).reply(200, issueData({ number: 1, state: "open", body: created.body }));
    let updated = "";
    nock(API)
      .patch(`${ISSUES}/1`, (data: { body: string; state?: string }) => ((updated = data.body), data.state === undefined))
      .reply(200, {});
    await app.deliver("push", pushPayload({ after: SHA2 }));
    expect(updated).toContain(`"sha":"${SHA2}"`);
    expect(updated).not.toBe(created.body);

    await serveTarball(fixed, SHA3);
    serveNoConfig();
    serveAdvisories(); // the fixed SDK version was never looked up
    nock(API).get(`${ISSUES}/1`).reply(200, issueData({ number: 1, state: "open", body: updated }));
    nock(API).post(`${ISSUES}/1/comments`, { body: `All findings are fixed as of ${SHA3.slice(0, 7)}. Closing.` }).reply(201, {});
    nock(API)
      .patch(`${ISSUES}/1`, (data: { body: string; state: string; state_reason: string }) =>
        data.state === "closed" && data.state_reason === "completed" && data.body.includes('"fingerprints":[]'),
      )
      .reply(200, {});
    await app.deliver("push", pushPayload({ after: SHA3 }));
    expect(errors()).toEqual([]);
  });

  it("opens nothing for a clean repository", async () => {
    await serveScan(fixed, SHA1);
    serveIssueList([]);
    await app.deliver("push", pushPayload());
    expect(errors()).toEqual([]);
  });

  it("costs only the tarball request for a repository without an MCP server", async () => {
    await serveTarball(plain, SHA1);
    await app.deliver("push", pushPayload());
    expect(app.logs.some((line) => line.msg === "scan skipped: no MCP server found")).toBe(true);
  });

  it("reports a vulnerable dependency from a GitHub advisory (REST shape)", async () => {
    await serveTarball(vulnerable, SHA1);
    serveNoConfig();
    serveBotLogin();
    let query: Record<string, string> = {};
    nock(API)
      .get("/advisories")
      .query((q) => ((query = q as Record<string, string>), true))
      .reply(200, [
        {
          ghsa_id: "GHSA-8r9q-7v3j-jr4g",
          cve_id: "CVE-2026-0621",
          html_url: "https://github.com/advisories/GHSA-8r9q-7v3j-jr4g",
          summary: "Anthropic's MCP TypeScript SDK has a ReDoS vulnerability",
          type: "reviewed",
          severity: "high",
          identifiers: [
            { value: "GHSA-8r9q-7v3j-jr4g", type: "GHSA" },
            { value: "CVE-2026-0621", type: "CVE" },
          ],
          published_at: "2026-01-05T21:30:33Z",
          withdrawn_at: null,
          vulnerabilities: [
            {
              package: { ecosystem: "npm", name: "@modelcontextprotocol/sdk" },
              vulnerable_version_range: "< 1.25.2",
              first_patched_version: "1.25.2",
              vulnerable_functions: [],
            },
          ],
          cwes: [{ cwe_id: "CWE-1333", name: "Inefficient Regular Expression Complexity" }],
        },
      ]);
    serveIssueList([]);
    serveLabelsExist();
    const created = expectIssueCreated(1);

    await app.deliver("push", pushPayload());

    expect(query.ecosystem).toBe("npm");
    expect(query.affects?.split(",")).toEqual(expect.arrayContaining(["@modelcontextprotocol/sdk@1.11.0", "zod@3.23.8"]));
    expect(created.body).toContain("GHSA-8r9q-7v3j-jr4g");
    expect(created.body).toContain("@modelcontextprotocol/sdk");
  });

  it("reads the maintainer's configuration at the pushed commit (labels, thresholds)", async () => {
    await serveTarball(vulnerable, SHA1);
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/contents/.github%2Fmcp-warden.yml`)
      .query({ ref: SHA1 })
      .reply(200, "issue:\n  minSeverity: high\n  labels: [mcp-security]\n", { "content-type": "text/plain; charset=utf-8" });
    serveAdvisories();
    serveBotLogin();
    serveIssueList([]);
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`, { name: "mcp-security", color: "ededed" }).reply(201, {});
    const created = expectIssueCreated(1, ["mcp-security"]);

    await app.deliver("push", pushPayload());

    expect(created.body).toContain("MCPW-EXEC-001");
    expect(created.body).not.toContain("MCPW-LAUNCH-001"); // medium, below the configured minimum
  });

  it("scans with the defaults and says so in the issue when the configuration cannot be read", async () => {
    await serveTarball(vulnerable, SHA1);
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/contents/.github%2Fmcp-warden.yml`)
      .query({ ref: SHA1 })
      .reply(200, "issue: [unclosed\n  labels: {", { "content-type": "text/plain; charset=utf-8" });
    serveAdvisories();
    serveBotLogin();
    serveIssueList([]);
    serveLabelsExist();
    const created = expectIssueCreated(1);

    await app.deliver("push", pushPayload());

    expect(created.body).toContain("MCPW-LAUNCH-001");
    expect(created.body).toMatch(/configuration/i);
    expect(created.body).toContain("invalid YAML");
    expect(errors()).toEqual([]);
  });
});

describe("pushes the App ignores", () => {
  it.each([
    ["another branch", () => pushPayload({ ref: "refs/heads/feature/x" })],
    ["a tag", () => tagPushPayload()],
    ["a branch deletion", () => deletionPayload()],
  ])("makes no request for %s", async (_name, payload) => {
    await app.deliver("push", payload());
    expect(app.logs.some((line) => typeof line.msg === "string" && line.msg.startsWith("push ignored"))).toBe(true);
  });
});

describe("issue lifecycle on GitHub", () => {
  it("logs and carries on when issues are disabled (410)", async () => {
    await serveScan(vulnerable, SHA1);
    serveIssueList([]);
    serveLabelsExist();
    nock(API).post(ISSUES).reply(410, { message: "Issues are disabled for this repo" });
    await app.deliver("push", pushPayload());
    const line = app.logs.find((entry) => entry.msg === "issues are disabled on this repository: report not posted");
    expect(line?.level).toBe(30);
    expect(errors()).toEqual([]);

    // The process is still serving: the next push is scanned as usual.
    await serveTarball(plain, SHA2);
    await app.deliver("push", pushPayload({ after: SHA2 }));
  });

  it("logs a 410 from the issue listing too, without crashing", async () => {
    await serveScan(vulnerable, SHA1);
    nock(API).get(ISSUES).query(true).reply(410, { message: "Issues are disabled for this repo" });
    await app.deliver("push", pushPayload());
    expect(app.logs.some((entry) => entry.msg === "issues are disabled on this repository: report not posted")).toBe(true);
  });

  it("leaves an issue a user closed alone for the same findings, and reopens it for new ones", async () => {
    const reported = await fingerprintsOf(vulnerable);
    expect(reported.length).toBeGreaterThan(0);
    const closedBody = `${REPORT_MARKER}\n(old report)\n${renderState({ v: 1, sha: SHA1, fingerprints: reported })}`;
    const closed = { number: 4, state: "closed" as const, body: closedBody, closedBy: "octocat" };

    await serveScan(vulnerable, SHA2);
    serveIssueList([closed]);
    await app.deliver("push", pushPayload({ after: SHA2 }));
    expect(app.logs.some((line) => line.reason === "report issue was closed and the scan found nothing it did not already report")).toBe(true);

    await serveTarball(worse, SHA3);
    serveNoConfig();
    nock(API).get(`${ISSUES}/4`).reply(200, issueData(closed));
    nock(API).patch(`${ISSUES}/4`, (data: { state: string; body: string }) => data.state === "open" && data.body.includes(SHA3)).reply(200, {});
    nock(API)
      .post(`${ISSUES}/4/comments`, (data: { body: string }) => data.body.includes("1 new finding "))
      .reply(201, {});
    await app.deliver("push", pushPayload({ after: SHA3 }));
    expect(errors()).toEqual([]);
  });

  it("keeps the oldest open report issue and closes the duplicates with a pointer to it", async () => {
    const stale = (text: string) => `${REPORT_MARKER}\n${text}\n${renderState({ v: 1, sha: SHA1, fingerprints: ["old"] })}`;
    await serveScan(vulnerable, SHA2);
    serveIssueList([
      { number: 5, state: "open", body: stale("newer duplicate") },
      { number: 3, state: "open", body: stale("kept") },
      { number: 6, state: "open", body: stale("not ours"), login: "someone" },
    ]);
    nock(API).post(`${ISSUES}/5/comments`, { body: "Closing as a duplicate of #3, which holds the current scan results." }).reply(201, {});
    nock(API).patch(`${ISSUES}/5`, { state: "closed", state_reason: "not_planned" }).reply(200, {});
    nock(API).patch(`${ISSUES}/3`, (data: { body: string }) => data.body.includes("MCPW-EXEC-001")).reply(200, {});
    await app.deliver("push", pushPayload({ after: SHA2 }));
    expect(errors()).toEqual([]);
  });

  it("posts the issue without labels when the App may not create them", async () => {
    await serveScan(vulnerable, SHA1);
    serveIssueList([]);
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).times(2).reply(403, { message: "Resource not accessible by integration" });
    expectIssueCreated(1, []);
    await app.deliver("push", pushPayload());
    expect(app.logs.filter((line) => line.msg === "label could not be created: posting without it")).toHaveLength(2);
  });

  it("runs two quick pushes one after the other, dropping the queued one a newer push superseded", async () => {
    await serveScan(vulnerable, SHA1);
    serveIssueList([]);
    serveLabelsExist();
    const created = expectIssueCreated(1);
    // SHA2 is never downloaded: it is superseded by SHA3 while SHA1 is still being scanned.
    await serveTarball(worse, SHA3);
    serveNoConfig();
    nock(API)
      .get(`${ISSUES}/1`)
      .reply(200, () => issueData({ number: 1, state: "open", body: created.body }));
    nock(API).patch(`${ISSUES}/1`, (data: { body: string }) => data.body.includes(SHA3)).reply(200, {});

    await app.probot.receive({ name: "push", id: "a", payload: pushPayload() } as never);
    await app.probot.receive({ name: "push", id: "b", payload: pushPayload({ after: SHA2 }) } as never);
    await app.probot.receive({ name: "push", id: "c", payload: pushPayload({ after: SHA3 }) } as never);
    await app.warden.idle();

    expect(app.logs.some((line) => line.msg === "queued scan dropped: superseded by a newer one for the same repository")).toBe(true);
    expect(errors()).toEqual([]);
  });

  it("logs a failed scan with its context and keeps serving", async () => {
    nock(API).get(`/repos/${OWNER}/${REPO}/tarball/${SHA1}`).reply(500, { message: "Server Error" });
    await app.deliver("push", pushPayload());
    const failure = app.logs.find((line) => line.msg === "scan failed");
    expect(failure).toMatchObject({ level: 50, owner: OWNER, repo: REPO, sha: SHA1, err: { status: 500 } });
    expect(JSON.stringify(failure)).not.toContain("authorization");

    await serveTarball(plain, SHA2);
    await app.deliver("push", pushPayload({ after: SHA2 }));
  });

  it("reports a corrupt archive as a failed scan, not a crash", async () => {
    nock(API).get(`/repos/${OWNER}/${REPO}/tarball/${SHA1}`).reply(200, Buffer.from("\x1f\x8b\x08 not really gzip"));
    await app.deliver("push", pushPayload());
    expect(app.logs.some((line) => line.msg === "scan failed")).toBe(true);
  });

  it("skips a repository whose archive is over the download cap, with a warning", async () => {
    const small = await harness({ maxTarballBytes: 256 });
    await serveTarball(vulnerable, SHA1);
    await small.deliver("push", pushPayload());
    expect(small.logs.find((line) => line.msg === "scan skipped: repository too large")).toMatchObject({ level: 40 });
  });
});
