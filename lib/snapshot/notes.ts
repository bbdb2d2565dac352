import type { SkipReason, SnapshotNote } from "./types.js";
import { displayPath } from "./paths.js";

const MAX_EXAMPLES = 5;

/** Order in which notes are listed: the most consequential first. */
const REASON_ORDER: readonly SkipReason[] = [
  "total-size-cap",
  "file-count-cap",
  "unsafe-path",
  "too-large",
  "binary",
  "symlink",
  "excluded-directory",
  "excluded-by-config",
];

/** Aggregates skipped entries per reason: a count and the first few paths. */
export class NoteCollector {
  private readonly byReason = new Map<SkipReason, SnapshotNote>();

  constructor(initial: readonly SnapshotNote[] = []) {
    for (const note of initial) {
      this.byReason.set(note.reason, { reason: note.reason, count: note.count, examples: [...note.examples] });
    }
  }

  add(reason: SkipReason, path: string, count = 1): void {
    let note = this.byReason.get(reason);
    if (!note) {
      note = { reason, count: 0, examples: [] };
      this.byReason.set(reason, note);
    }
    note.count += count;
    const shown = displayPath(path);
    if (note.examples.length < MAX_EXAMPLES && !note.examples.includes(shown)) note.examples.push(shown);
  }

  list(): SnapshotNote[] {
    return REASON_ORDER.flatMap((reason) => {
      const note = this.byReason.get(reason);
      return note ? [{ reason, count: note.count, examples: [...note.examples] }] : [];
    });
  }
}
