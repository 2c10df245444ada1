import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { formatPath } from '../../model/event.ts';
import { PostIdSchema } from '../../model/common.ts';
import { SeveritySchema } from '../../rules/rule-schema.ts';
import { DurationSchema } from '../../streams/duration.ts';

const ReceiverSchema = z
  .strictObject({
    webhook: z.strictObject({ url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }), secret: z.string().min(16, 'a webhook secret of at least 16 characters') }).optional(),
    email: z.array(z.email()).min(1).optional(),
    /**
     * Whether notifications name the traveller or consignment (the alert's subject line).
     * Off by default: a notification leaves the processor for systems and mailboxes its
     * access control does not reach, so it says what, where and how severe, and the
     * analyst reads who in the console.
     */
    personalData: z.boolean().default(false),
  })
  .refine((r) => r.webhook !== undefined || r.email !== undefined, { message: 'a receiver needs a webhook, email addresses, or both' });

const RouteSchema = z.strictObject({
  /** Alerts at these posts (any post when left out). */
  posts: z.array(PostIdSchema).min(1).optional(),
  minSeverity: SeveritySchema.optional(),
  receiver: z.string().min(1),
});

/**
 * The notification routing file (docs/casework.md, *Notifications*): receivers, routes
 * from posts and severities to receivers, Alertmanager-style timing, and escalation.
 */
export const RoutingSchema = z
  .strictObject({
    smtp: z.strictObject({ host: z.string().min(1), port: z.int().min(1).max(65_535).default(25), from: z.email() }).optional(),
    receivers: z.record(z.string().min(1), ReceiverSchema),
    routes: z.array(RouteSchema).min(1),
    /** How long to gather alerts for one receiver, post and severity into one notification. */
    groupWait: DurationSchema.default(30_000),
    /** How often an alert still unacknowledged is notified again. */
    repeatInterval: DurationSchema.default(3_600_000),
    /** Alerts still unacknowledged this long after their first notification go to `receiver` too. */
    escalation: z.strictObject({ after: DurationSchema, minSeverity: SeveritySchema.default('critical'), receiver: z.string().min(1) }).optional(),
    /** Attempts after the first before a delivery is recorded as failed (dead letter). */
    retries: z.int().min(0).max(10).default(3),
    /** Wait before the first retry; doubled for each next one. */
    retryWait: DurationSchema.default(2_000),
  })
  .superRefine((c, ctx) => {
    const known = (name: string): boolean => Object.hasOwn(c.receivers, name);
    c.routes.forEach((r, i) => {
      if (!known(r.receiver)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'receiver'], message: `no receiver "${r.receiver}"` });
    });
    if (c.escalation && !known(c.escalation.receiver)) ctx.addIssue({ code: 'custom', path: ['escalation', 'receiver'], message: `no receiver "${c.escalation.receiver}"` });
    for (const [name, r] of Object.entries(c.receivers)) if (r.email && !c.smtp) ctx.addIssue({ code: 'custom', path: ['receivers', name, 'email'], message: 'e-mail needs an smtp relay (smtp: host, port, from)' });
  });
export type Routing = z.infer<typeof RoutingSchema>;

/** Reads and checks a routing file; a ConfigError lists every problem with its path. */
export function loadRouting(file: string): Routing {
  let value: unknown;
  try {
    value = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the routing file ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = RoutingSchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(`routing file ${file} has ${parsed.error.issues.length} problem(s):\n  ${parsed.error.issues.map((i) => `${formatPath(i.path) || '(file)'}: ${i.message}`).join('\n  ')}`);
  return parsed.data;
}
