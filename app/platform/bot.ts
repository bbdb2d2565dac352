import type { Octokit } from "./types.js";

/**
 * The App's own login (`<slug>[bot]`): the author every report issue must have. Asked once per
 * process; `/app` needs the App's JWT, which the installation octokit uses for that route.
 */
export class BotIdentity {
  #login: Promise<string> | null = null;

  constructor(private readonly fixed?: string) {}

  login(octokit: Octokit): Promise<string> {
    if (this.fixed) return Promise.resolve(this.fixed);
    if (!this.#login) {
      const pending = octokit.rest.apps.getAuthenticated().then(({ data }) => {
        const slug = data?.slug;
        if (!slug) throw new Error("GET /app returned no slug; cannot tell this App's issues apart");
        return `${slug}[bot]`;
      });
      // A failed lookup is retried on the next scan instead of being cached forever.
      pending.catch(() => {
        if (this.#login === pending) this.#login = null;
      });
      this.#login = pending;
    }
    return this.#login;
  }
}
