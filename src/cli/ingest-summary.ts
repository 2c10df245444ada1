import { POSTS } from '../generate/region.ts';
import type { IngestReply } from '../ingest/protocol.ts';

/** How many distinct reasons are printed; the rest are counted in one line. */
const MAX_REASONS = 5;
/** Event ids kept as examples of each reason. */
const MAX_EXAMPLES = 3;

/** One reason events were rejected for, with how many and a few of them. */
export interface RejectionReason {
  /** `path: message` of the event's first issue. */
  reason: string;
  count: number;
  examples: string[];
}

/**
 * What a producer (`generate --url`) tells its user about the server's answers: the
 * posts it sends for at the start, and at the end why events were rejected, summarised
 * by reason, the commonest first. Without it a token scoped to fewer posts than the
 * generator uses prints only "22 accepted, 1978 rejected", the reason being in the
 * server's dead-letter file.
 */
export class IngestSummary {
  private readonly reasons = new Map<string, RejectionReason>();
  /** Posts the server refused for this producer's token, from the rejections. */
  private readonly refusedPosts = new Set<string>();
  private rejected = 0;

  /**
   * @param write where the lines go (default: standard error, as the command's other lines)
   */
  constructor(private readonly write: (line: string) => void = (line) => console.error(line)) {}

  /**
   * Says which posts the traffic is generated for, so that a producer token can be made
   * for them before a single event is refused.
   * @default posts: every post of the generator's region
   */
  announcePosts(posts: readonly string[] = POSTS.map((p) => p.id)): void {
    this.write(`generating traffic for ${posts.length} posts: ${posts.join(', ')} (a producer token must list the posts it sends for: tokens create --role producer --posts ${posts.join(',')})`);
  }

  /** Notes one reply of the server; pass it as (or inside) the producer's `onReply`. */
  note(reply: IngestReply): void {
    if (reply.rejected === 0) return;
    for (const result of reply.results) {
      if (result.status !== 'rejected') continue;
      this.rejected += 1;
      const issue = result.issues?.[0];
      // A post refusal names the event's post: one reason for them all, the posts listed apart.
      const refusal = /^(.* may send for .* only), not (\S+)$/.exec(issue?.message ?? '');
      if (refusal) this.refusedPosts.add(refusal[2]!);
      const message = refusal ? `${refusal[1]!}, not the event's post` : issue?.message;
      const reason = issue === undefined ? 'rejected without a reason' : `${issue.path || 'event'}: ${message}`;
      let entry = this.reasons.get(reason);
      if (!entry) this.reasons.set(reason, (entry = { reason, count: 0, examples: [] }));
      entry.count += 1;
      if (entry.examples.length < MAX_EXAMPLES && result.eventId !== undefined) entry.examples.push(result.eventId);
    }
  }

  /** The reasons, commonest first. */
  summary(): RejectionReason[] {
    return [...this.reasons.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }

  /** Writes why events were rejected (nothing when none was). */
  report(): void {
    if (this.rejected === 0) return;
    const reasons = this.summary();
    this.write(`${this.rejected} rejected, for ${reasons.length} reason${reasons.length === 1 ? '' : 's'}:`);
    for (const r of reasons.slice(0, MAX_REASONS)) {
      this.write(`  ${String(r.count).padStart(7)} × ${r.reason}${r.examples.length > 0 ? `  (e.g. ${r.examples.join(', ')})` : ''}`);
    }
    if (reasons.length > MAX_REASONS) this.write(`  ... and ${reasons.length - MAX_REASONS} more reason(s); every rejected event is in the server's dead letters`);
    if (this.refusedPosts.size > 0) {
      this.write(`the token may not send for ${[...this.refusedPosts].sort().join(', ')}: use a producer token that lists every generated post`);
    }
  }
}
