/** The App under test: a Probot instance with the App loaded and its log captured. */
import nock from "nock";
import { pino } from "pino";
import { Probot } from "probot";
import { createWardenApp, type WardenApp, type WardenOptions } from "../../app/index.js";
import { TestOctokit, trackUnmatched, type LogLine } from "./helpers.js";

export interface Harness {
  probot: Probot;
  warden: WardenApp;
  logs: LogLine[];
  /** Delivers a webhook and waits until every scan it queued has finished. */
  deliver(name: "push" | "installation" | "installation_repositories", payload: object): Promise<void>;
}

export async function harness(options: WardenOptions = {}): Promise<Harness> {
  const logs: LogLine[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const probot = new Probot({
    appId: 1,
    githubToken: "test",
    log,
    Octokit: TestOctokit,
  });
  const warden = createWardenApp(options);
  await probot.load(warden.app);
  let delivery = 0;
  return {
    probot,
    warden,
    logs,
    async deliver(name, payload) {
      delivery += 1;
      await probot.receive({ name, id: String(delivery), payload } as Parameters<Probot["receive"]>[0]);
      await warden.idle();
    },
  };
}


/**
 * The hooks of an end-to-end file: no real network, a fresh App for each test (handed to
 * `use`), and every test ending with no pending mock and no unanswered request.
 */
export function endToEnd(use: (app: Harness) => void): void {
  let unmatched: ReturnType<typeof trackUnmatched>;

  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());

  beforeEach(async () => {
    use(await harness());
    unmatched = trackUnmatched();
  });

  afterEach(() => {
    unmatched.stop();
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(unmatched.requests).toEqual([]);
    expect(pending).toEqual([]);
  });
}
