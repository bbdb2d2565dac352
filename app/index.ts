/**
 * Webhook handlers. Thin on purpose: each one filters early, logs why it returned, turns the
 * event into ScanJobs and hands them to the queue. The work happens in runner.ts.
 */
import type { ApplicationFunction, Probot } from "probot";
import { SharedAdvisories } from "./advisories.js";
import { BotIdentity, describeError, KnownIssues, type Logger } from "./platform/index.js";
import { ScanQueue } from "./queue.js";
import { createRunner, type ScanJob } from "./runner.js";

export type { ScanJob } from "./runner.js";

export interface WardenOptions {
  /** Repositories scanned at the same time (default 2, or MCP_WARDEN_CONCURRENCY). */
  concurrency?: number;
  /** Log issue writes instead of making them (default: MCP_WARDEN_DRY_RUN=true). */
  dryRun?: boolean;
  /** Skip `GET /app` by naming the App's bot login (`<slug>[bot]`). */
  botLogin?: string;
  /** Compressed archive size above which a repository is not scanned. */
  maxTarballBytes?: number;
}

export interface WardenApp {
  /** The Probot application function. */
  app: ApplicationFunction;
  /** Resolves once every queued scan has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
}

interface QueuedScan {
  job: ScanJob;
  log: Logger;
}

const ZERO_SHA = /^0+$/;

export function createWardenApp(options: WardenOptions = {}): WardenApp {
  const queues: Array<ScanQueue<QueuedScan>> = [];

  const app = (probot: Probot): void => {
    const runScan = createRunner({
      auth: (installationId) => probot.auth(installationId),
      advisories: new SharedAdvisories(),
      bot: new BotIdentity(options.botLogin ?? process.env.MCP_WARDEN_BOT_LOGIN),
      known: new KnownIssues(),
      dryRun: options.dryRun ?? process.env.MCP_WARDEN_DRY_RUN === "true",
      ...(options.maxTarballBytes ? { maxTarballBytes: options.maxTarballBytes } : {}),
    });
    const queue = new ScanQueue<QueuedScan>({
      keyOf: ({ job }) => `${job.owner}/${job.repo}`.toLowerCase(),
      run: ({ job, log }) => runScan(job, log),
      concurrency: options.concurrency ?? envInteger(process.env.MCP_WARDEN_CONCURRENCY) ?? 2,
      log: probot.log,
    });
    queues.push(queue);

    probot.on("push", async (context) => {
      const { ref, deleted, after, repository, installation } = context.payload;
      const data = { repo: repository.full_name, ref };
      if (!ref.startsWith("refs/heads/")) return context.log.info(data, "push ignored: not a branch");
      if (ref !== `refs/heads/${repository.default_branch}`) {
        return context.log.info(data, "push ignored: not the default branch");
      }
      if (deleted || ZERO_SHA.test(after)) return context.log.info(data, "push ignored: branch deleted");
      if (!installation) return context.log.info(data, "push ignored: no installation in the payload");

      const owner = repository.owner?.login ?? repository.full_name.split("/")[0];
      if (!owner) return context.log.info(data, "push ignored: repository owner missing");
      const job: ScanJob = { owner, repo: repository.name, sha: after, installationId: installation.id };
      context.log.info({ ...data, sha: after }, "scan queued");
      // Not awaited: GitHub expects a quick answer to the webhook; the queue reports its own errors.
      void queue.push({ job, log: context.log });
    });

    probot.on("installation.created", async (context) => {
      const { installation } = context.payload;
      let names = (context.payload.repositories ?? []).map((repository) => repository.full_name);
      if (!context.payload.repositories) {
        // Older payload shapes omit the list; ask for the repositories this installation can see.
        try {
          const repositories = await context.octokit.paginate(context.octokit.rest.apps.listReposAccessibleToInstallation, {
            per_page: 100,
          });
          names = repositories.map((repository) => repository.full_name);
        } catch (error) {
          return context.log.error({ installation: installation.id, err: describeError(error) }, "installation ignored: repositories could not be listed");
        }
      }
      enqueueAll(queue, names, installation.id, context.log, "installation created");
    });

    probot.on("installation_repositories.added", async (context) => {
      const { installation, repositories_added: added } = context.payload;
      enqueueAll(queue, added.map((repository) => repository.full_name), installation.id, context.log, "repositories added");
    });
  };

  return {
    app,
    async idle() {
      // A scan finishing can be followed by one queued meanwhile; loop until all are quiet.
      for (;;) {
        await Promise.all(queues.map((queue) => queue.onIdle()));
        if (queues.every((queue) => queue.stats.running === 0 && queue.stats.waiting === 0)) return;
      }
    },
  };
}

/** An installation's repositories are scanned one at a time: a new installation must not flood the API. */
function enqueueAll(queue: ScanQueue<QueuedScan>, fullNames: string[], installationId: number, log: Logger, why: string): void {
  const jobs: QueuedScan[] = [];
  for (const fullName of fullNames) {
    const slash = fullName.indexOf("/");
    if (slash <= 0 || slash === fullName.length - 1) {
      log.info({ repo: fullName }, "repository ignored: unexpected full name");
      continue;
    }
    jobs.push({ job: { owner: fullName.slice(0, slash), repo: fullName.slice(slash + 1), installationId }, log });
  }
  if (jobs.length === 0) return log.info({ installation: installationId }, `${why}: no repository to scan`);
  log.info({ installation: installationId, repositories: jobs.length }, `${why}: scans queued`);
  void queue.pushSequence(jobs);
}

function envInteger(value: string | undefined): number | undefined {
  const parsed = value ? Number.parseInt(value, 10) : Number.NaN;
  return Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
}

const warden = createWardenApp();

/** Resolves when the default app's queued scans are all finished. */
export const idle = warden.idle;

export default warden.app;
