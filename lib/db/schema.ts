import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { proposalStatuses } from "../proposal-statuses";
import { runStatuses, stepStatuses } from "../run-statuses";
import { scheduleMisfirePolicies, scheduleOverlapPolicies } from "../schedule-policies";
import { viewStatuses } from "../views/view-result";

import { roles, userKinds } from "../roles";
import { tokenScopes } from "../policy/scopes";

export { roles, userKinds, type Role, type UserKind } from "../roles";

export { runStatuses, finishedRunStatuses, stepStatuses, type RunStatus, type StepStatus } from "../run-statuses";
export { proposalStatuses, type ProposalStatus } from "../proposal-statuses";

export const outputStreams = ["stdout", "stderr", "system"] as const;
export type OutputStream = (typeof outputStreams)[number];

/** How a request came in: a browser session, a token (REST or the CLI), or a schedule firing for its owner. */
export const requestChannels = ["web", "api", "cli", "schedule"] as const;
export type RequestChannel = (typeof requestChannels)[number];

export const runbookSources = ["file", "ui"] as const;
export type RunbookSource = (typeof runbookSources)[number];
export const revisionKinds = ["created", "edited", "restored", "synced", "published"] as const;
export type RevisionKind = (typeof revisionKinds)[number];
export const approvalDecisions = ["approved", "rejected"] as const;
export type ApprovalDecision = (typeof approvalDecisions)[number];
export const webhookFormats = ["json", "slack"] as const;
export type WebhookFormat = (typeof webhookFormats)[number];
export const deliveryStatuses = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** Who may approve a run, frozen from the runbook's `approval.approvers` at request time; empty lists mean anyone policy allows. */
export interface ApproverSet {
  roles: string[];
  teams: string[];
  users: string[];
}

const createdAt = () => timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow();

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: roles }).notNull(),
  /** A service account is not a person: it has no password, never signs in, and acts only through its tokens. */
  kind: text("kind", { enum: userKinds }).notNull().default("person"),
  /** Null for a service account. */
  passwordHash: text("password_hash"),
  active: boolean("active").notNull().default(true),
  /**
   * Raised by a password reset, a role change and deactivation: every browser session signed in
   * under an older value ends at its next request. API tokens are not sessions and do not carry it.
   */
  sessionVersion: integer("session_version").notNull().default(0),
  createdAt: createdAt(),
});

/** Browser sessions ended by signing out, until their cookie would have expired anyway. */
export const endedSessions = pgTable("ended_sessions", {
  sessionId: text("session_id").primaryKey(),
  userId: uuid("user_id").references(() => users.id),
  endedAt: timestamp("ended_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }).notNull(),
});

/**
 * Failed sign-ins per account (consecutive, reset by a success) and per client address (in a
 * 15-minute window): past a threshold the key is locked until `lockedUntil`, across every process.
 */
export const signInThrottles = pgTable("sign_in_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true, precision: 3 }).notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true, precision: 3 }),
});

export const apiTokens = pgTable("api_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id),
  label: text("label").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  prefix: text("prefix").notNull(),
  createdAt: createdAt(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true, precision: 3 }),
  /** The client address of that last use. */
  lastUsedIp: text("last_used_ip"),
  revokedAt: timestamp("revoked_at", { withTimezone: true, precision: 3 }),
  /** What the token may do, within its user's rights (lib/policy/scopes.ts). */
  scopes: text("scopes", { enum: tokenScopes }).array().notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }).notNull(),
  /** Set when the `token.expiring` event was queued, so it is sent once. */
  expiryWarnedAt: timestamp("expiry_warned_at", { withTimezone: true, precision: 3 }),
});

/** The current head of each runbook; denormalised fields let lists be filtered in SQL. */
export const runbooks = pgTable("runbooks", {
  slug: text("slug").primaryKey(),
  currentVersionHash: text("current_version_hash").notNull(),
  title: text("title").notNull(),
  description: text("description").notNull(),
  owner: text("owner").notNull(),
  tags: jsonb("tags").$type<string[]>().notNull(),
  risk: text("risk", { enum: ["low", "medium", "high"] }).notNull(),
  environment: text("environment"),
  /** A read-only runbook whose runs report the state of something (`view: true`): shown as a panel. */
  view: boolean("view").notNull().default(false),
  /** file: loaded from the runbooks directory and read-only in the UI; ui: authored in Handrail. */
  source: text("source", { enum: runbookSources }).notNull(),
  sourcePath: text("source_path"),
  archivedAt: timestamp("archived_at", { withTimezone: true, precision: 3 }),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/** Immutable: one row per distinct definition content, keyed by its sha256. */
export const runbookVersions = pgTable(
  "runbook_versions",
  {
    hash: text("hash").primaryKey(),
    slug: text("slug").notNull(),
    definition: jsonb("definition").notNull(),
    /** The YAML as its author wrote it (key order, comments), when known: jsonb keeps neither. */
    sourceYaml: text("source_yaml"),
    createdAt: createdAt(),
  },
  (table) => [index("runbook_versions_slug_idx").on(table.slug, table.createdAt)],
);

/**
 * The history of a runbook: one numbered entry per save, sync, restore or publish, each naming its
 * author and message and pointing at immutable content. A restore is a new entry whose content
 * hash equals an older one's.
 */
export const runbookRevisions = pgTable(
  "runbook_revisions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug").notNull(),
    number: integer("number").notNull(),
    versionHash: text("version_hash")
      .notNull()
      .references(() => runbookVersions.hash),
    kind: text("kind", { enum: revisionKinds }).notNull(),
    /** Who: a user's email, or the system actor (file sync, CLI). */
    author: text("author").notNull(),
    authorId: uuid("author_id"),
    message: text("message").notNull(),
    restoredFrom: integer("restored_from"),
    proposalId: uuid("proposal_id"),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("runbook_revisions_slug_number_idx").on(table.slug, table.number)],
);

/** A drafted new runbook or change, invisible to runners until someone other than its author publishes it. */
export const runbookProposals = pgTable(
  "runbook_proposals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    /** The runbook content the change was drafted against; null for a new runbook. */
    baseVersionHash: text("base_version_hash"),
    definition: jsonb("definition").notNull(),
    versionHash: text("version_hash").notNull(),
    message: text("message").notNull(),
    /** Who drafted it; null for a change that came from a runbook file (see authorLabel). */
    authorId: uuid("author_id").references(() => users.id),
    /** Where a change without an author came from, e.g. the file a sync read. */
    authorLabel: text("author_label"),
    status: text("status", { enum: proposalStatuses }).notNull(),
    reviewerId: uuid("reviewer_id").references(() => users.id),
    reviewComment: text("review_comment"),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (table) => [index("runbook_proposals_status_idx").on(table.status, table.createdAt), index("runbook_proposals_slug_idx").on(table.slug)],
);

export const runs = pgTable(
  "runs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    runbookSlug: text("runbook_slug").notNull(),
    versionHash: text("version_hash")
      .notNull()
      .references(() => runbookVersions.hash),
    status: text("status", { enum: runStatuses }).notNull(),
    /** Parameters as submitted, with secret values replaced by a mask. */
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    /** The argv that ran, with secret values masked. */
    argv: jsonb("argv").$type<string[]>().notNull(),
    requestedBy: uuid("requested_by")
      .notNull()
      .references(() => users.id),
    requestedVia: text("requested_via", { enum: requestChannels }).notNull(),
    tokenId: uuid("token_id"),
    timeoutMs: integer("timeout_ms").notNull(),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    exitCode: integer("exit_code"),
    signal: text("signal"),
    errorMessage: text("error_message"),
    workerId: text("worker_id"),
    /** Where the run's processes are, so recovery can kill what a dead worker left: host and boot, leader pid and start time, leased uid. */
    processHost: text("process_host"),
    processId: integer("process_id"),
    processStartTime: text("process_start_time"),
    processUid: bigint("process_uid", { mode: "number" }),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true, precision: 3 }),
    cancelRequestedAt: timestamp("cancel_requested_at", { withTimezone: true, precision: 3 }),
    cancelledBy: uuid("cancelled_by"),
    outputLines: integer("output_lines").notNull().default(0),
    outputBytes: bigint("output_bytes", { mode: "number" }).notNull().default(0),
    outputSha256: text("output_sha256"),
    /** Set when retention removed the lines; the totals and digest above stay. */
    outputPrunedAt: timestamp("output_pruned_at", { withTimezone: true, precision: 3 }),
    /** Bytes the process printed after the per-run output cap was reached: counted, not stored. */
    outputDroppedBytes: bigint("output_dropped_bytes", { mode: "number" }).notNull().default(0),
    /** The runbook version's `concurrency`, frozen at request time: at most this many running at once. */
    concurrencyLimit: integer("concurrency_limit"),
    /** The runbook's `lock` rendered from this run's parameters: one running run per key, across runbooks. */
    lockKey: text("lock_key"),
    /** The run's risk, frozen at request time: the runbook's, or higher when the requester raised it. Null on runs from before. */
    risk: text("risk", { enum: ["low", "medium", "high"] }),
    /** Why the run was requested, and the incident or change it belongs to. */
    reason: text("reason"),
    ticket: text("ticket"),
    /** A run in the runbook's dry-run mode: it changes nothing, needs no approval, and can be attached to a real request. */
    dryRun: boolean("dry_run").notNull().default(false),
    /** A run of a view runbook: kept in history, left out of the runs list unless asked for. */
    view: boolean("view").notNull().default(false),
    /** The dry run whose output the approvers of this run see. */
    attachedDryRunId: bigint("attached_dry_run_id", { mode: "number" }),
    /** Distinct approvals needed before the run is queued; 0 for none. */
    approvalsRequired: integer("approvals_required").notNull().default(0),
    approvers: jsonb("approvers").$type<ApproverSet>(),
    approvalExpiresAt: timestamp("approval_expires_at", { withTimezone: true, precision: 3 }),
    /** Break-glass: ran at once without approval; it stays in the review queue until someone else acknowledges it. */
    breakGlassJustification: text("break_glass_justification"),
    breakGlassIncident: text("break_glass_incident"),
    breakGlassReviewedBy: uuid("break_glass_reviewed_by"),
    breakGlassReviewedAt: timestamp("break_glass_reviewed_at", { withTimezone: true, precision: 3 }),
    breakGlassReviewComment: text("break_glass_review_comment"),
    /** Counts changes the run's page shows beyond its status (a step, a note, who is watching), so a follower of its stream hears of each. */
    pageChanges: integer("page_changes").notNull().default(0),
    /** A resumed run: the failed run it continues, same version and parameters. */
    resumedFrom: bigint("resumed_from", { mode: "number" }),
    /** A run requested by a `runbook:` step of another run: that run, and the step's position in it. */
    parentRunId: bigint("parent_run_id", { mode: "number" }),
    parentStepPosition: integer("parent_step_position"),
    /** A run a schedule fired, and the fire time it was for. */
    scheduleId: bigint("schedule_id", { mode: "number" }),
    scheduledFor: timestamp("scheduled_for", { withTimezone: true, precision: 3 }),
  },
  (table) => [
    index("runs_status_idx").on(table.status, table.id),
    index("runs_running_slug_idx").on(table.runbookSlug).where(sql`status = 'running'`),
    index("runs_active_lock_idx").on(table.lockKey, table.id).where(sql`lock_key is not null and status in ('queued', 'running', 'waiting')`),
    index("runs_runbook_idx").on(table.runbookSlug, table.id),
    index("runs_runbook_status_idx").on(table.runbookSlug, table.status, table.id),
    index("runs_requested_by_idx").on(table.requestedBy, table.id),
    index("runs_finished_at_idx").on(table.finishedAt),
    index("runs_pending_approval_idx").on(table.approvalExpiresAt).where(sql`status = 'pending_approval'`),
    index("runs_parent_idx").on(table.parentRunId).where(sql`parent_run_id is not null`),
    index("runs_schedule_idx").on(table.scheduleId, table.id).where(sql`schedule_id is not null`),
    index("runs_break_glass_unreviewed_idx").on(table.id).where(sql`break_glass_incident is not null and break_glass_reviewed_at is null`),
  ],
);

/** The steps of a run of a runbook with `steps:`, one row each, written when the run is requested. */
export const runSteps = pgTable(
  "run_steps",
  {
    runId: bigint("run_id", { mode: "number" })
      .notNull()
      .references(() => runs.id),
    /** The step's place in the runbook, from 0. */
    position: integer("position").notNull(),
    stepId: text("step_id").notNull(),
    status: text("status", { enum: stepStatuses }).notNull().default("pending"),
    /** Attempts made so far (retries add one each). */
    attempts: integer("attempts").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    exitCode: integer("exit_code"),
    /** The run's output lines this step printed: seq first_seq..last_seq (steps run one after another). */
    firstSeq: integer("first_seq"),
    lastSeq: integer("last_seq"),
    /** key=value pairs it wrote to $HANDRAIL_OUTPUTS, or a manual step's typed value. */
    outputs: jsonb("outputs").$type<Record<string, string>>().notNull().default({}),
    /** Why it was skipped, failed, or how a person completed it. */
    message: text("message"),
    /** The person who ticked or skipped it, and their note. */
    actedBy: uuid("acted_by"),
    note: text("note"),
    /** Its `approval:`, frozen at request time: distinct approvals it needs before its process starts (0: none), and from whom. */
    approvalsRequired: integer("approvals_required").notNull().default(0),
    approvers: jsonb("approvers").$type<ApproverSet>(),
    /** While it waits for approval: when the request expires. Set once it was approved. */
    approvalExpiresAt: timestamp("approval_expires_at", { withTimezone: true, precision: 3 }),
    approvedAt: timestamp("approved_at", { withTimezone: true, precision: 3 }),
    /** A `runbook:` step: the version of that runbook pinned when this run was requested, and the run it requested when reached. */
    childVersionHash: text("child_version_hash"),
    childRunId: bigint("child_run_id", { mode: "number" }),
  },
  (table) => [
    primaryKey({ columns: [table.runId, table.position] }),
    // What the settle sweep looks for: steps waiting on another run.
    index("run_steps_waiting_child_idx").on(table.childRunId).where(sql`status = 'waiting' and child_run_id is not null`),
  ],
);

/** Who has a run's live output open, each refreshed while their stream is open: "who else is watching". */
export const runWatchers = pgTable(
  "run_watchers",
  {
    runId: bigint("run_id", { mode: "number" })
      .notNull()
      .references(() => runs.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    seenAt: timestamp("seen_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.runId, table.userId] })],
);

/** One person's decision on a run waiting for approval; a person decides at most once per run. */
export const runApprovals = pgTable(
  "run_approvals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: bigint("run_id", { mode: "number" })
      .notNull()
      .references(() => runs.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    decision: text("decision", { enum: approvalDecisions }).notNull(),
    comment: text("comment").notNull(),
    /** A decision on one step's `approval:` (its position); null for the run's own approval. */
    stepPosition: integer("step_position"),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("run_approvals_run_step_user_idx").on(table.runId, sql`coalesce(${table.stepPosition}, -1)`, table.userId)],
);

/** Outgoing webhooks: run events for every runbook, or for one owner's runbooks. */
export const webhooks = pgTable("webhooks", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  url: text("url").notNull(),
  format: text("format", { enum: webhookFormats }).notNull().default("json"),
  /** Event names this hook receives; an owner's hook always receives run.requested for their runbooks. */
  events: jsonb("events").$type<string[]>().notNull(),
  /** Only runbooks with this owner; null for every runbook. */
  owner: text("owner"),
  /** The HMAC signing secret, sealed with the secret-store key. */
  secretCiphertext: text("secret_ciphertext").notNull(),
  secretKeyId: text("secret_key_id").notNull(),
  active: boolean("active").notNull().default(true),
  createdBy: text("created_by").notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id),
    event: text("event").notNull(),
    runId: bigint("run_id", { mode: "number" }),
    /** The event as JSON; the hook's format (e.g. Slack) is applied when it is sent. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: deliveryStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true, precision: 3 }),
    responseStatus: integer("response_status"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true, precision: 3 }),
  },
  (table) => [
    index("webhook_deliveries_due_idx").on(table.nextAttemptAt).where(sql`status = 'pending'`),
    index("webhook_deliveries_hook_idx").on(table.webhookId, table.id),
  ],
);

/** Secret parameter values, encrypted, kept only until the run finishes. */
export const runSecrets = pgTable("run_secrets", {
  runId: bigint("run_id", { mode: "number" })
    .primaryKey()
    .references(() => runs.id),
  ciphertext: text("ciphertext").notNull(),
});

export const runOutput = pgTable(
  "run_output",
  {
    runId: bigint("run_id", { mode: "number" })
      .notNull()
      .references(() => runs.id),
    seq: integer("seq").notNull(),
    stream: text("stream", { enum: outputStreams }).notNull(),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull(),
    line: text("line").notNull(),
  },
  (table) => [primaryKey({ columns: [table.runId, table.seq] })],
);

/**
 * A run's output in blocks of consecutive lines (seqs `firstSeq..lastSeq`, OUTPUT_SEARCH_BLOCK_LINES
 * of them but the last), as search reads it: the lines as the viewer shows them (terminal escapes
 * removed), lower-cased, joined by newlines. Written with the lines; a search scans a thousand
 * times fewer rows and checks single lines only inside the blocks that hold the text.
 */
export const runOutputBlocks = pgTable(
  "run_output_blocks",
  {
    runId: bigint("run_id", { mode: "number" })
      .notNull()
      .references(() => runs.id),
    firstSeq: integer("first_seq").notNull(),
    lastSeq: integer("last_seq").notNull(),
    searchText: text("search_text").notNull(),
  },
  (table) => [primaryKey({ columns: [table.runId, table.firstSeq] })],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** Position in the chain: 1, 2, 3 … with no gaps, assigned under the chain lock. */
    seq: bigint("seq", { mode: "number" }).notNull().unique(),
    at: timestamp("at", { withTimezone: true, precision: 3 })
      .notNull()
      .default(sql`date_trunc('milliseconds', now())`),
    actorType: text("actor_type", { enum: ["user", "token", "service", "system", "anonymous"] }).notNull(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    outcome: text("outcome", { enum: ["success", "denied", "failure"] }).notNull(),
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    versionHash: text("version_hash"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (table) => [
    index("audit_events_subject_idx").on(table.subjectType, table.subjectId, table.id),
    index("audit_events_action_idx").on(table.action, table.id),
    index("audit_events_actor_idx").on(table.actorEmail, table.id),
    index("audit_events_at_idx").on(table.at),
    index("audit_events_runbook_idx").on(sql`(${table.details}->>'runbook')`, table.id),
    index("audit_events_actor_trgm_idx").using("gin", sql`${table.actorEmail} gin_trgm_ops`),
    index("audit_events_action_trgm_idx").using("gin", sql`${table.action} gin_trgm_ops`),
    index("audit_events_subject_trgm_idx").using("gin", sql`${table.subjectId} gin_trgm_ops`),
    index("audit_events_details_trgm_idx").using("gin", sql`(${table.details}::text) gin_trgm_ops`),
  ],
);

export const teams = pgTable("teams", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  createdAt: createdAt(),
});

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.userId] }), index("team_members_user_idx").on(table.userId)],
);

/** A named group of rules; its content lives in immutable, numbered versions. */
export const policies = pgTable("policies", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  source: text("source", { enum: ["builtin", "ui", "file"] }).notNull(),
  currentVersion: integer("current_version").notNull(),
  archivedAt: timestamp("archived_at", { withTimezone: true, precision: 3 }),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export const policyVersions = pgTable(
  "policy_versions",
  {
    policyId: uuid("policy_id")
      .notNull()
      .references(() => policies.id),
    version: integer("version").notNull(),
    document: jsonb("document").notNull(),
    author: text("author").notNull(),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.policyId, table.version] })],
);

/**
 * Named secrets runbooks receive as environment variables. Values are AES-256-GCM encrypted with a
 * key from the environment (HANDRAIL_SECRET_KEY); `keyId` names the key that sealed each one, so a
 * rotation can re-encrypt row by row while old keys are still accepted.
 */
export const secrets = pgTable("secrets", {
  name: text("name").primaryKey(),
  description: text("description").notNull().default(""),
  ciphertext: text("ciphertext").notNull(),
  keyId: text("key_id").notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
});

export { scheduleMisfirePolicies, scheduleOverlapPolicies, type ScheduleMisfirePolicy, type ScheduleOverlapPolicy } from "../schedule-policies";
export const scheduleFireOutcomes = ["run", "skipped", "refused"] as const;
export type ScheduleFireOutcome = (typeof scheduleFireOutcomes)[number];

/**
 * A runbook run on a cron expression in a time zone, or once at a time, with fixed parameters, as
 * its owner. `nextFireAt` only moves forward (a fire, a skip, an edit): a clock set back replays
 * nothing. `revision` counts edits; a fire commits only against the revision it was computed from.
 */
export const schedules = pgTable(
  "schedules",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    runbookSlug: text("runbook_slug")
      .notNull()
      .references(() => runbooks.slug),
    name: text("name").notNull(),
    /** Five fields, minute first; null for a one-off schedule. */
    cron: text("cron"),
    /** A one-off schedule's time; null for a cron schedule. */
    runAt: timestamp("run_at", { withTimezone: true, precision: 3 }),
    timeZone: text("time_zone").notNull().default("UTC"),
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    reason: text("reason"),
    ticket: text("ticket"),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    misfire: text("misfire", { enum: scheduleMisfirePolicies }).notNull().default("skip"),
    overlap: text("overlap", { enum: scheduleOverlapPolicies }).notNull().default("skip"),
    pausedAt: timestamp("paused_at", { withTimezone: true, precision: 3 }),
    pausedReason: text("paused_reason"),
    nextFireAt: timestamp("next_fire_at", { withTimezone: true, precision: 3 }),
    revision: integer("revision").notNull().default(1),
    /** `runbook`: written in the runbook file's `schedules:` and changed only there; `api`: made in the browser or the API. */
    definedIn: text("defined_in", { enum: ["runbook", "api"] }).notNull().default("api"),
    /** Who made its current revision: the owner, or an admin who changed it. */
    updatedBy: uuid("updated_by"),
    /**
     * Distinct approvals its current revision needs before it fires (its runbook's runs need
     * approval, and nobody approves each fire); 0 for none. Approved, it is pinned to the runbook
     * version and risk approved; either changing pauses it until approved again.
     */
    approvalsRequired: integer("approvals_required").notNull().default(0),
    approvers: jsonb("approvers").$type<ApproverSet>(),
    approvedAt: timestamp("approved_at", { withTimezone: true, precision: 3 }),
    approvedVersionHash: text("approved_version_hash"),
    approvedRisk: text("approved_risk", { enum: ["low", "medium", "high"] }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true, precision: 3 }),
  },
  (table) => [
    uniqueIndex("schedules_runbook_name_idx").on(table.runbookSlug, table.name).where(sql`deleted_at is null`),
    index("schedules_due_idx").on(table.nextFireAt).where(sql`paused_at is null and deleted_at is null`),
  ],
);

/** Each fire time of a schedule, at most once: the run it started, or why it started none. */
export const scheduleFires = pgTable(
  "schedule_fires",
  {
    scheduleId: bigint("schedule_id", { mode: "number" })
      .notNull()
      .references(() => schedules.id),
    fireAt: timestamp("fire_at", { withTimezone: true, precision: 3 }).notNull(),
    outcome: text("outcome", { enum: scheduleFireOutcomes }).notNull(),
    runId: bigint("run_id", { mode: "number" }),
    message: text("message"),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.scheduleId, table.fireAt] })],
);

/** One person's approval of one revision of a schedule. */
export const scheduleApprovals = pgTable(
  "schedule_approvals",
  {
    scheduleId: bigint("schedule_id", { mode: "number" })
      .notNull()
      .references(() => schedules.id),
    revision: integer("revision").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    comment: text("comment"),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.scheduleId, table.revision, table.userId] })],
);

/** What each finished run of a view runbook reported: a panel shows the latest and the ones before it. */
export const viewResults = pgTable(
  "view_results",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    runbookSlug: text("runbook_slug").notNull(),
    runId: bigint("run_id", { mode: "number" })
      .notNull()
      .unique()
      .references(() => runs.id),
    status: text("status", { enum: viewStatuses }).notNull(),
    headline: text("headline"),
    value: doublePrecision("value"),
    unit: text("unit"),
    table: jsonb("table").$type<{ columns: string[]; rows: Array<Array<string | number | boolean | null>> }>(),
    /** Why the output was not a result: the panel then shows the output's last lines with it. */
    parseError: text("parse_error"),
    rawTail: text("raw_tail"),
    createdAt: createdAt(),
  },
  (table) => [index("view_results_runbook_idx").on(table.runbookSlug, table.id)],
);
