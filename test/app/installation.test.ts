/**
 * installation.created and installation_repositories.added: payloads name repositories only,
 * so the default branch and its head are looked up, and the repositories are scanned one at
 * a time.
 */
import nock from "nock";
import { endToEnd, type Harness } from "./harness.js";
import {
  API,
  fixture,
  installationPayload,
  OWNER,
  repositoriesAddedPayload,
  serveAdvisories,
  serveBotLogin,
  serveIssueList,
  serveLabelsExist,
  serveNoConfig,
  serveTarball,
} from "./helpers.js";

const HEADS: Record<string, string> = {
  "Hello-World": "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  Space: "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
  Rocket: "3333333ccccccccccccccccccccccccccccccccc",
};

let app: Harness;
/** `<repo>:<step>` in the order GitHub saw the requests. */
let timeline: string[];

endToEnd((a) => {
  app = a;
  timeline = [];
});

/** repos.get and the branch head, each noted in the timeline. */
function serveDefaultHead(repo: string, branch = "main"): void {
  nock(API)
    .get(`/repos/${OWNER}/${repo}`)
    .reply(200, () => {
      timeline.push(`${repo}:repo`);
      return { name: repo, full_name: `${OWNER}/${repo}`, default_branch: branch, archived: false };
    });
  nock(API)
    .get(`/repos/${OWNER}/${repo}/git/ref/heads%2F${branch}`)
    .reply(200, () => {
      timeline.push(`${repo}:head`);
      return { ref: `refs/heads/${branch}`, object: { sha: HEADS[repo], type: "commit" } };
    });
}

describe("installation.created", () => {
  it("scans each listed repository's default branch, one repository at a time", async () => {
    // Hello-World: an MCP server with findings -> an issue.
    serveDefaultHead("Hello-World", "master");
    await serveTarball(fixture("vulnerable"), HEADS["Hello-World"]!, "Hello-World");
    serveNoConfig("Hello-World");
    serveAdvisories();
    serveBotLogin();
    serveIssueList([], "Hello-World");
    serveLabelsExist("Hello-World");
    let createdBody = "";
    nock(API)
      .post(`/repos/${OWNER}/Hello-World/issues`, (data: { body: string }) => ((createdBody = data.body), true))
      .reply(201, () => (timeline.push("Hello-World:issue"), { number: 1 }));
    // Space: no MCP server -> only the tarball.
    serveDefaultHead("Space");
    await serveTarball(fixture("plain"), HEADS.Space!, "Space");
    // Rocket: a clean MCP server -> no issue.
    serveDefaultHead("Rocket");
    await serveTarball(fixture("fixed"), HEADS.Rocket!, "Rocket");
    serveNoConfig("Rocket");
    serveAdvisories();
    serveIssueList([], "Rocket");

    await app.deliver("installation", installationPayload(["Hello-World", "Space", "Rocket"]));

    expect(timeline).toEqual([
      "Hello-World:repo",
      "Hello-World:head",
      "Hello-World:issue",
      "Space:repo",
      "Space:head",
      "Rocket:repo",
      "Rocket:head",
    ]);
    expect(createdBody).toContain(`/blob/${HEADS["Hello-World"]}/src/index.ts#L14`);
    expect(app.logs.filter((line) => line.msg === "scan finished")).toHaveLength(2);
    expect(app.logs.filter((line) => line.level >= 50)).toEqual([]);
  });

  it("skips archived and empty repositories and carries on with the next one", async () => {
    nock(API).get(`/repos/${OWNER}/Hello-World`).reply(200, { default_branch: "main", archived: true });
    nock(API).get(`/repos/${OWNER}/Space`).reply(200, { default_branch: "main", archived: false });
    nock(API).get(`/repos/${OWNER}/Space/git/ref/heads%2Fmain`).reply(409, { message: "Git Repository is empty." });
    serveDefaultHead("Rocket");
    await serveTarball(fixture("plain"), HEADS.Rocket!, "Rocket");

    await app.deliver("installation", installationPayload(["Hello-World", "Space", "Rocket"]));

    const skipped = app.logs.filter((line) => line.msg === "scan skipped").map((line) => [line.repo, line.reason]);
    expect(skipped).toEqual([
      ["Hello-World", "repository is archived (read-only: no issue can be filed)"],
      ["Space", "repository is empty"],
    ]);
  });

  it("keeps going when one repository fails", async () => {
    nock(API).get(`/repos/${OWNER}/Hello-World`).reply(500, { message: "boom" });
    serveDefaultHead("Space");
    await serveTarball(fixture("plain"), HEADS.Space!, "Space");

    await app.deliver("installation", installationPayload(["Hello-World", "Space"]));

    expect(app.logs.find((line) => line.msg === "scan failed")).toMatchObject({ repo: "Hello-World", err: { status: 500 } });
    expect(timeline).toEqual(["Space:repo", "Space:head"]);
  });

  it("lists the installation's repositories when the payload does not", async () => {
    const payload = installationPayload([]);
    delete payload.repositories;
    nock(API)
      .get("/installation/repositories")
      .query(true)
      .reply(200, { total_count: 1, repositories: [{ name: "Space", full_name: `${OWNER}/Space` }] });
    serveDefaultHead("Space");
    await serveTarball(fixture("plain"), HEADS.Space!, "Space");

    await app.deliver("installation", payload);

    expect(timeline).toEqual(["Space:repo", "Space:head"]);
  });
});

describe("installation_repositories.added", () => {
  it("scans the added repositories", async () => {
    serveDefaultHead("Space");
    await serveTarball(fixture("plain"), HEADS.Space!, "Space");
    serveDefaultHead("Rocket");
    await serveTarball(fixture("plain"), HEADS.Rocket!, "Rocket");

    await app.deliver("installation_repositories", repositoriesAddedPayload(["Space", "Rocket"]));

    expect(timeline).toEqual(["Space:repo", "Space:head", "Rocket:repo", "Rocket:head"]);
  });

  it("does nothing when repositories were removed", async () => {
    const payload = repositoriesAddedPayload([]);
    payload.action = "removed";
    await app.deliver("installation_repositories", payload);
    expect(timeline).toEqual([]);
  });
});
