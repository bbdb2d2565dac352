import nock from "nock";
import { pino } from "pino";
import { Probot, type Logger } from "probot";
import { IssuePlatform, KnownIssues, type Octokit } from "../../app/platform/index.js";
import { REPORT_MARKER, renderState } from "../../lib/report/index.js";
import { API, BOT, issueData, OWNER, REPO, TestOctokit, type IssueFixture, type LogLine } from "./helpers.js";

const ref = { owner: OWNER, repo: REPO };
const marked = (text: string) => `${REPORT_MARKER}\n${text}\n${renderState({ v: 1, sha: "a".repeat(40), fingerprints: ["f1"] })}`;

let octokit: Octokit;
let logs: LogLine[];
let log: Logger;

beforeAll(async () => {
  nock.disableNetConnect();
  const probot = new Probot({
    appId: 1,
    githubToken: "test",
    log: pino({ level: "silent" }),
    Octokit: TestOctokit,
  });
  octokit = (await probot.auth()) as Octokit;
});

beforeEach(() => {
  logs = [];
  log = pino({ level: "debug" }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) }) as unknown as Logger;
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

afterAll(() => nock.enableNetConnect());

function platform(options: { known?: KnownIssues; dryRun?: boolean } = {}): IssuePlatform {
  return new IssuePlatform({ octokit, ref, botLogin: BOT, log, ...options });
}

function list() {
  return nock(API).get(`/repos/${OWNER}/${REPO}/issues`).query({ state: "all", sort: "created", direction: "asc", per_page: "100" });
}

describe("IssuePlatform.find", () => {
  it("keeps only this App's issues that carry the marker, and never pull requests", async () => {
    list().reply(200, [
      issueData({ number: 1, state: "open", body: marked("impostor"), login: "mallory" }),
      issueData({ number: 2, state: "open", body: "Security scan results for your MCP server (no marker)" }),
      issueData({ number: 3, state: "open", body: marked("a pull request"), pullRequest: true }),
      issueData({ number: 4, state: "open", body: marked("ours") }),
      issueData({ number: 5, state: "open", body: `quoting ${REPORT_MARKER} inline is not the marker` }),
    ]);
    const found = await platform().find();
    expect(found.primary).toEqual({ number: 4, state: "open", body: marked("ours") });
    expect(found.duplicates).toEqual([]);
  });

  it("follows pagination and keeps the oldest open issue; other open ones are duplicates", async () => {
    list()
      .reply(200, [issueData({ number: 3, state: "closed", body: marked("old, closed"), closedBy: "octocat" })], {
        link: `<${API}/repositories/1/issues?state=all&page=2>; rel="next"`,
      });
    nock(API)
      .get("/repositories/1/issues")
      .query({ state: "all", page: "2" })
      .reply(200, [
        issueData({ number: 12, state: "open", body: marked("newer") }),
        issueData({ number: 9, state: "open", body: marked("older") }),
      ]);
    const found = await platform().find();
    expect(found.primary?.number).toBe(9);
    expect(found.duplicates.map((issue) => issue.number)).toEqual([12]);
  });

  it("falls back to the oldest closed issue and tells who closed it", async () => {
    list().reply(200, [
      issueData({ number: 8, state: "closed", body: marked("by a person"), closedBy: "octocat" }),
      issueData({ number: 11, state: "closed", body: marked("by the app"), closedBy: BOT }),
    ]);
    const found = await platform().find();
    expect(found.primary).toEqual({ number: 8, state: "closed", body: marked("by a person"), closedByUser: true });
  });

  it("finds nothing in a repository without report issues", async () => {
    list().reply(200, []);
    await expect(platform().find()).resolves.toEqual({ primary: null, duplicates: [] });
  });

  it("reads a remembered issue directly instead of listing every issue", async () => {
    const known = new KnownIssues();
    known.set(ref, 42);
    nock(API).get(`/repos/${OWNER}/${REPO}/issues/42`).reply(200, issueData({ number: 42, state: "open", body: marked("ours") }));
    const found = await platform({ known }).find();
    expect(found.primary?.number).toBe(42);
  });

  it("lists again when the remembered issue is gone, not ours, or was transferred", async () => {
    const known = new KnownIssues();
    for (const reply of [
      () => nock(API).get(`/repos/${OWNER}/${REPO}/issues/42`).reply(404),
      () => nock(API).get(`/repos/${OWNER}/${REPO}/issues/42`).reply(200, issueData({ number: 42, state: "open", body: "edited away" })),
      () =>
        nock(API)
          .get(`/repos/${OWNER}/${REPO}/issues/42`)
          .reply(200, issueData({ number: 42, state: "open", body: marked("moved"), repo: "Elsewhere" })),
    ]) {
      known.set(ref, 42);
      reply();
      list().reply(200, [issueData({ number: 50, state: "open", body: marked("ours") })]);
      const found = await platform({ known }).find();
      expect(found.primary?.number).toBe(50);
      expect(known.get(ref)).toBe(50);
    }
  });

  it("passes on real failures (e.g. 410 when issues are disabled)", async () => {
    list().reply(410, { message: "Issues are disabled for this repo" });
    await expect(platform().find()).rejects.toMatchObject({ status: 410 });
  });
});

describe("IssuePlatform.apply", () => {
  const body = marked("2 findings");

  it("creates the labels and the issue", async () => {
    const created: string[] = [];
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/labels`, (label: { name: string; color: string }) => {
        created.push(`${label.name}:${label.color}`);
        return true;
      })
      .times(2)
      .reply(201, {});
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/issues`, {
        title: "Security scan results for your MCP server",
        body,
        labels: ["security", "mcp-warden"],
      })
      .reply(201, { number: 1 });
    await expect(platform().apply({ kind: "create", body }, ["security", "mcp-warden", "Security"])).resolves.toBe(1);
    expect(created).toEqual(["security:d73a4a", "mcp-warden:5319e7"]);
  });

  it("uses existing labels (422) and posts without labels it may not create (403)", async () => {
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`, { name: "security", color: "d73a4a", description: "Security problem" }).reply(422, { message: "Validation Failed" });
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`, (label: { name: string }) => label.name === "mcp-warden").reply(403, { message: "Resource not accessible by integration" });
    nock(API).post(`/repos/${OWNER}/${REPO}/issues`, { title: "Security scan results for your MCP server", body, labels: ["security"] }).reply(201, { number: 2 });
    await expect(platform().apply({ kind: "create", body }, ["security", "mcp-warden"])).resolves.toBe(2);
    expect(logs.some((line) => line.msg === "label could not be created: posting without it" && line.label === "mcp-warden")).toBe(true);
  });

  it("retries without labels when the issue cannot be created with them", async () => {
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(422, {});
    nock(API).post(`/repos/${OWNER}/${REPO}/issues`, (data: { labels?: string[] }) => Array.isArray(data.labels)).reply(403, { message: "forbidden" });
    nock(API).post(`/repos/${OWNER}/${REPO}/issues`, (data: { labels?: string[] }) => data.labels === undefined).reply(201, { number: 3 });
    await expect(platform().apply({ kind: "create", body }, ["security"])).resolves.toBe(3);
  });

  it("updates the body", async () => {
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/5`, { body }).reply(200, { number: 5 });
    await expect(platform().apply({ kind: "update", number: 5, body }, [])).resolves.toBe(5);
  });

  it("closes with the comment first, then the clean body and state in one write", async () => {
    const order: string[] = [];
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/issues/5/comments`, { body: "All findings are fixed as of abcdef1. Closing." })
      .reply(201, () => (order.push("comment"), {}));
    nock(API)
      .patch(`/repos/${OWNER}/${REPO}/issues/5`, { body, state: "closed", state_reason: "completed" })
      .reply(200, () => (order.push("close"), {}));
    await platform().apply({ kind: "close", number: 5, body, comment: "All findings are fixed as of abcdef1. Closing." }, []);
    expect(order).toEqual(["comment", "close"]);
  });

  it("reopens with the new body and says why", async () => {
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/5`, { body, state: "open" }).reply(200, {});
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/issues/5/comments`, (data: { body: string }) => data.body.includes("2 new findings"))
      .reply(201, {});
    await platform().apply({ kind: "reopen", number: 5, body, newFindings: 2 }, []);
  });

  it("cuts a body over GitHub's limit before posting", async () => {
    const huge = `${REPORT_MARKER}\n${"- row\n".repeat(20_000)}`;
    nock(API)
      .patch(`/repos/${OWNER}/${REPO}/issues/5`, (data: { body: string }) => data.body.length <= 65_536 && data.body.startsWith(REPORT_MARKER))
      .reply(200, {});
    await platform().apply({ kind: "update", number: 5, body: huge }, []);
  });

  it("makes no request for `none`, and only logs in a dry run", async () => {
    await expect(platform().apply({ kind: "none", reason: "report unchanged" }, [])).resolves.toBeNull();
    const dry = platform({ dryRun: true });
    await dry.apply({ kind: "create", body }, ["security"]);
    await dry.apply({ kind: "close", number: 1, body, comment: "x" }, []);
    await dry.closeDuplicates([{ number: 2, state: "open", body }], 1);
    expect(logs.filter((line) => line.msg.startsWith("dry run: would")).map((line) => line.msg)).toEqual([
      "dry run: would create issue",
      "dry run: would close issue",
      "dry run: would close duplicate issue",
    ]);
  });
});

describe("IssuePlatform.closeDuplicates", () => {
  it("comments with a pointer to the kept issue and closes each duplicate", async () => {
    for (const number of [12, 15]) {
      nock(API).post(`/repos/${OWNER}/${REPO}/issues/${number}/comments`, { body: "Closing as a duplicate of #9, which holds the current scan results." }).reply(201, {});
      nock(API).patch(`/repos/${OWNER}/${REPO}/issues/${number}`, { state: "closed", state_reason: "not_planned" }).reply(200, {});
    }
    await platform().closeDuplicates(
      [
        { number: 12, state: "open", body: "" },
        { number: 15, state: "open", body: "" },
      ],
      9,
    );
  });
});
