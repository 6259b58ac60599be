/**
 * Audit timeline benchmark (issue 4): prints figures, asserts nothing.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/bench-audit.ts [--events N] [--reps N] [--explain-all] [--keep]
 *
 * --explain-all prints every query's plan, not only the slow ones; --keep leaves the database in
 * place (its name is printed) to try an index by hand: drop it yourself afterwards.
 *
 * Creates its own database `handrail_bench_<random>` on the DATABASE_URL server, migrates it, loads
 * N events forming a valid hash chain, times the timeline queries (auditPage), a streamed export
 * (chainRows -> toJsonLine) and verifyStoredChain, then drops the database (also on failure or Ctrl-C).
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import { and, desc, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { toJsonLine } from "../lib/audit/export-format";
import { auditHash, GENESIS_HASH, recordAudit } from "../lib/audit/record";
import { openDatabase, type DatabaseHandle, type Db } from "../lib/db/client";
import * as schema from "../lib/db/schema";
import { auditEvents } from "../lib/db/schema";
import { auditConditions, auditPage, chainRows, type AuditFilters } from "../lib/services/audit/chain-rows";
import { verifyStoredChain } from "../lib/services/audit/verify-audit-log";

const SLOW_MS = 50;
const PAGE = 50;
const BATCH = 5000;
const DAY_MS = 86_400_000;
const SPAN_DAYS = 90;

// ---------------------------------------------------------------- options

const { values: options } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    reps: { type: "string", default: "30" },
    "explain-all": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const EVENTS = Number(options.events);
const REPS = Number(options.reps);
if (!Number.isInteger(EVENTS) || EVENTS < 1000) throw new Error("--events must be an integer >= 1000");
if (!Number.isInteger(REPS) || REPS < 5) throw new Error("--reps must be an integer >= 5");

const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  console.log("bench-audit: DATABASE_URL is not set; this benchmark needs PostgreSQL (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test). Skipping.");
  process.exit(0);
}

// ---------------------------------------------------------------- deterministic data

/** mulberry32: the same seed gives the same million events on every run. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(0x68726169);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
/** Zipf-like: a few very active items, a long tail of rare ones. */
function zipfPicker<T>(items: readonly T[], exponent = 1.1) {
  const weights = items.map((_, index) => 1 / (index + 1) ** exponent);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const weight of weights) cumulative.push((running += weight / total));
  return () => {
    const r = random();
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] ?? 1) < r) low = mid + 1;
      else high = mid;
    }
    return items[low] as T;
  };
}

const FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yusuf", "zoe", "amir", "bea", "chen", "dara"];
const LAST = ["nguyen", "smith", "okafor", "garcia", "kowalski"];
const ACTORS = Array.from({ length: 50 }, (_, index) => {
  const email = `${FIRST[index % FIRST.length]}.${LAST[Math.floor(index / FIRST.length) % LAST.length]}@example.com`;
  return { id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`, email };
});
const RUNBOOKS = [
  "restart-service", "rotate-logs", "flush-cache", "scale-deployment", "db-vacuum", "db-failover", "renew-certificate", "drain-node",
  "clear-queue", "reindex-search", "purge-cdn", "restart-worker", "backup-database", "restore-snapshot", "rotate-credentials", "deploy-hotfix",
  "toggle-feature", "collect-diagnostics", "resize-volume", "sync-dns", "reset-user-mfa", "replay-dead-letters", "warm-cache", "cordon-node",
  "kill-long-queries", "archive-tenant", "rebuild-index", "rollback-release", "check-replication", "export-metrics",
];
const ENVIRONMENTS = ["production", "staging", "dev"];
const SERVICES = ["api", "web", "billing", "search", "auth", "payments", "ingest", "mailer"];
const USER_AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) Chrome/141.0", "Mozilla/5.0 (Macintosh) Safari/18.1", "handrail-cli/0.1.0 node/20.20.2"];
const WORKERS = ["worker-a1", "worker-b2", "worker-c3"];
/** The text-search needle: put in about 1% of events. */
const NEEDLE = "incident-7731";

const pickActor = zipfPicker(ACTORS, 0.9);
const pickRunbook = zipfPicker(RUNBOOKS, 1.0);

/** A type alias, not an interface, so it is assignable to auditHash's Record parameter. */
type Content = {
  at: string;
  actorType: "user" | "token" | "system" | "anonymous";
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  outcome: "success" | "denied" | "failure";
  subjectType: string | null;
  subjectId: string | null;
  versionHash: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
};

const versionOf = (slug: string) => `${Buffer.from(slug).toString("hex").padEnd(64, "0").slice(0, 64)}`;

class Generator {
  private runId = 0;
  private queued: { id: number; runbook: string }[] = [];
  private running: { id: number; runbook: string }[] = [];

  private human() {
    const actor = pickActor();
    const viaToken = random() < 0.2;
    return {
      actorType: viaToken ? ("token" as const) : ("user" as const),
      actorId: viaToken ? `${actor.id} (token ${Math.floor(random() * 200) + 1})` : actor.id,
      actorEmail: actor.email,
      ip: `10.${Math.floor(random() * 4)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`,
      userAgent: viaToken ? (USER_AGENTS[2] as string) : pick(USER_AGENTS.slice(0, 2)),
      via: viaToken ? "api" : "web",
    };
  }

  next(at: string): Content {
    const r = random();
    const base = { at, versionHash: null as string | null, subjectType: null as string | null, subjectId: null as string | null };
    let event: Content;
    if (r < 0.64) event = this.runEvent(at);
    else if (r < 0.82) {
      const who = this.human();
      const ok = random() < 0.92;
      event = {
        ...base,
        actorType: ok ? "user" : "anonymous",
        actorId: ok ? who.actorId : null,
        actorEmail: who.actorEmail,
        action: "auth.sign_in",
        outcome: ok ? "success" : "failure",
        subjectType: "user",
        subjectId: who.actorId.slice(0, 36),
        details: ok ? {} : { reason: pick(["wrong password", "unknown email", "user deactivated"]) },
        ip: who.ip,
        userAgent: who.userAgent,
      };
    } else if (r < 0.86) event = this.denial(at);
    else if (r < 0.9) {
      // operators viewing and changing runbooks and policies
      const who = this.human();
      const slug = pickRunbook();
      const kind = random();
      if (kind < 0.7) {
        event = {
          ...base,
          actorType: "system",
          actorId: "runbook-sync",
          actorEmail: null,
          action: random() < 0.9 ? "runbook.updated" : random() < 0.7 ? "runbook.created" : "runbook.archived",
          outcome: "success",
          subjectType: "runbook",
          subjectId: slug,
          versionHash: versionOf(`${slug}-${Math.floor(random() * 40)}`),
          details: { source: `runbooks/${slug}.yaml`, before: { version: versionOf(slug) }, after: { version: versionOf(`${slug}-v2`) } },
          ip: null,
          userAgent: null,
        };
      } else {
        const name = pick(["developers", "operators", "auditors", "oncall-prod", "payments-team"]);
        event = {
          ...base,
          actorType: who.actorType,
          actorId: who.actorId,
          actorEmail: who.actorEmail,
          action: random() < 0.85 ? "policy.updated" : random() < 0.8 ? "policy.created" : "policy.archived",
          outcome: "success",
          subjectType: "policy",
          subjectId: name,
          versionHash: versionOf(`${name}-${Math.floor(random() * 20)}`),
          details: { reason: `allow ${slug} for on-call`, source: "web", before: { version: versionOf(name) }, after: { version: versionOf(`${name}-v2`) } },
          ip: who.ip,
          userAgent: who.userAgent,
        };
      }
    } else {
      const who = this.human();
      const target = pickActor();
      const action = pick(["token.created", "token.revoked", "user.created", "user.role_changed", "user.deactivated", "user.reactivated", "user.password_reset", "team.created", "team.member_added", "team.member_removed", "run.output_pruned"]);
      const [subjectType] = action.split(".");
      event = {
        ...base,
        actorType: action === "run.output_pruned" ? "system" : who.actorType,
        actorId: action === "run.output_pruned" ? "retention" : who.actorId,
        actorEmail: action === "run.output_pruned" ? null : who.actorEmail,
        action,
        outcome: "success",
        subjectType: subjectType ?? null,
        subjectId: action === "run.output_pruned" ? String(Math.max(1, this.runId - 500)) : target.id,
        details: action.startsWith("user.role")
          ? { email: target.email, before: { role: "developer" }, after: { role: "operator" } }
          : action.startsWith("team")
            ? { team: pick(["payments-team", "oncall-prod", "platform"]), email: target.email }
            : action.startsWith("run")
              ? { lines: Math.floor(random() * 5000), retentionDays: 30 }
              : { email: target.email, name: `token-${Math.floor(random() * 1000)}` },
        ip: action === "run.output_pruned" ? null : who.ip,
        userAgent: action === "run.output_pruned" ? null : who.userAgent,
      };
    }
    if (random() < 0.01) event.details = { ...event.details, note: `see ${NEEDLE}` };
    return event;
  }

  private runEvent(at: string): Content {
    const r = random();
    if (r < 0.33 || (r < 0.66 && this.queued.length === 0) || (r >= 0.66 && this.running.length === 0 && this.queued.length === 0)) {
      const who = this.human();
      const runbook = pickRunbook();
      const id = ++this.runId;
      this.queued.push({ id, runbook });
      const params = { service: pick(SERVICES), environment: pick(ENVIRONMENTS), replicas: Math.floor(random() * 10) + 1, token: "••••••" };
      return {
        at,
        actorType: who.actorType,
        actorId: who.actorId,
        actorEmail: who.actorEmail,
        action: "run.requested",
        outcome: "success",
        subjectType: "run",
        subjectId: String(id),
        versionHash: versionOf(runbook),
        details: { runbook, params, argv: ["./run.sh", params.service, params.environment], via: who.via },
        ip: who.ip,
        userAgent: who.userAgent,
      };
    }
    const system = { actorType: "system" as const, actorEmail: null, ip: null, userAgent: null };
    if (r < 0.66 || this.running.length === 0) {
      const run = this.queued.shift() as { id: number; runbook: string };
      if (random() < 0.01) {
        const who = this.human();
        return { at, actorType: who.actorType, actorId: who.actorId, actorEmail: who.actorEmail, action: "run.cancelled", outcome: "success", subjectType: "run", subjectId: String(run.id), versionHash: versionOf(run.runbook), details: { runbook: run.runbook, status: "queued" }, ip: who.ip, userAgent: who.userAgent };
      }
      const workerId = pick(WORKERS);
      this.running.push(run);
      return { ...system, at, actorId: workerId, action: "run.started", outcome: "success", subjectType: "run", subjectId: String(run.id), versionHash: versionOf(run.runbook), details: { runbook: run.runbook, workerId } };
    }
    const run = this.running.shift() as { id: number; runbook: string };
    const end = random();
    if (end < 0.01) {
      const who = this.human();
      this.running.unshift(run);
      return { at, actorType: who.actorType, actorId: who.actorId, actorEmail: who.actorEmail, action: "run.cancel_requested", outcome: "success", subjectType: "run", subjectId: String(run.id), versionHash: versionOf(run.runbook), details: { runbook: run.runbook, status: "running" }, ip: who.ip, userAgent: who.userAgent };
    }
    if (end < 0.013) {
      return { ...system, at, actorId: pick(WORKERS), action: "run.interrupted", outcome: "failure", subjectType: "run", subjectId: String(run.id), versionHash: versionOf(run.runbook), details: { runbook: run.runbook, reason: "worker heartbeat stale", lastHeartbeat: at } };
    }
    const failed = end > 0.93;
    const outputBytes = Math.floor(random() * 200_000);
    return {
      ...system,
      at,
      actorId: pick(WORKERS),
      action: "run.finished",
      outcome: failed ? "failure" : "success",
      subjectType: "run",
      subjectId: String(run.id),
      versionHash: versionOf(run.runbook),
      details: {
        runbook: run.runbook,
        status: failed ? "failed" : "succeeded",
        exitCode: failed ? 1 + Math.floor(random() * 3) : 0,
        signal: null,
        durationMs: Math.floor(random() * 120_000),
        outputLines: Math.floor(outputBytes / 60),
        outputBytes,
        outputSha256: randomHex(),
      },
    };
  }

  private denial(at: string): Content {
    const who = this.human();
    const slug = pickRunbook();
    const kind = random();
    if (kind < 0.7) {
      return {
        at,
        actorType: who.actorType,
        actorId: who.actorId,
        actorEmail: who.actorEmail,
        action: "runbook.run",
        outcome: "denied",
        subjectType: "runbook",
        subjectId: slug,
        versionHash: versionOf(slug),
        details: { reason: `developer may not run ${slug} (risk high)`, rule: "developers: run Runbook where risk in low, medium", via: who.via, params: { environment: "production" } },
        ip: who.ip,
        userAgent: who.userAgent,
      };
    }
    const [subjectType, action] = pick([["auditevent", "view"], ["policy", "manage"], ["user", "manage"], ["run", "cancel"]] as const);
    return {
      at,
      actorType: who.actorType,
      actorId: who.actorId,
      actorEmail: who.actorEmail,
      action: `${subjectType}.${action}`,
      outcome: "denied",
      subjectType,
      subjectId: null,
      versionHash: null,
      details: { reason: `developer may not ${action} ${subjectType}`, via: who.via },
      ip: who.ip,
      userAgent: who.userAgent,
    };
  }
}

function randomHex(): string {
  let out = "";
  for (let index = 0; index < 8; index++) out += Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, "0");
  return out;
}

// ---------------------------------------------------------------- helpers

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const fmt = (value: number) => Math.round(value).toLocaleString("en-US");
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

/** p50/p95 over `reps` runs after warm-ups; a query slower than 1 s gets 10 runs, so one slow case cannot eat the time limit. */
async function timeIt(fn: () => Promise<unknown>, requested: number, warmup = 3) {
  let reps = requested;
  for (let index = 0; index < warmup; index++) {
    const start = performance.now();
    await fn();
    if (performance.now() - start > 1000) reps = Math.min(requested, 10);
  }
  const samples: number[] = [];
  for (let index = 0; index < reps; index++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), reps };
}

// ---------------------------------------------------------------- main

const dbName = `handrail_bench_${randomBytes(6).toString("hex")}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
let handle: DatabaseHandle | undefined;
let raw: postgres.Sql | undefined;
let created = false;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    try {
      await handle?.close();
    } catch {
      /* closing anyway */
    }
    try {
      await raw?.end({ timeout: 5 });
    } catch {
      /* closing anyway */
    }
    if (created && options.keep) {
      console.log(`kept database ${dbName}: drop database ${dbName} with (force) when done`);
    } else if (created) {
      await admin.unsafe(`drop database if exists ${dbName} with (force)`);
      console.log(`dropped database ${dbName}`);
    }
    await admin.end({ timeout: 5 });
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

interface Case {
  name: string;
  filters: AuditFilters;
  before?: number;
}

async function main() {
  const serverVersion = (await admin`select current_setting('server_version') as v`)[0]?.v as string;
  const settings = await admin`select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'jit', 'max_parallel_workers_per_gather', 'random_page_cost')`;
  console.log("# Audit timeline benchmark");
  console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), ${mb(os.totalmem())} RAM, load avg ${os.loadavg().map((n) => n.toFixed(2)).join(" ")}`);
  console.log(`node ${process.version}, PostgreSQL ${serverVersion}`);
  console.log(`postgres settings: ${settings.map((row) => `${row.name}=${row.setting}${row.unit ?? ""}`).join(", ")}`);
  console.log(`events: ${fmt(EVENTS)}, repetitions per query: ${REPS}`);

  await admin.unsafe(`create database ${dbName}`);
  created = true;
  const url = new URL(adminUrl as string);
  url.pathname = `/${dbName}`;
  const opened = await openDatabase({ kind: "postgres", url: url.toString() });
  handle = opened;
  const plain = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  raw = plain;
  // The same drizzle driver with a logger: runs auditPage once more to capture the exact SQL it sends, for EXPLAIN.
  let captured: { sql: string; params: unknown[] } | undefined;
  const capturing = drizzle(plain, { schema, logger: { logQuery: (query, params) => void (captured = { sql: query, params }) } }) as unknown as Db;
  await opened.migrate();
  const { db } = opened;
  console.log(`database ${dbName} created and migrated`);

  // ------------------------------------------------------------ load
  const [head] = await db.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  let prevHash = head?.hash ?? GENESIS_HASH;
  let seq = head?.seq ?? 0;
  const generator = new Generator();
  const startAt = Date.now() - SPAN_DAYS * DAY_MS;
  const step = (SPAN_DAYS * DAY_MS) / EVENTS;
  let lastAt = startAt;
  let hashMs = 0;
  const buildBatch = (from: number, count: number): string => {
    const t0 = performance.now();
    const rows: unknown[] = [];
    for (let index = from; index < from + count; index++) {
      // ascending, jittered, millisecond precision (the column is timestamptz(3))
      lastAt = Math.max(lastAt + 1, Math.floor(startAt + index * step + random() * step * 0.9));
      const content = generator.next(new Date(lastAt).toISOString());
      const hash = auditHash(prevHash, content);
      seq += 1;
      rows.push([seq, content.at, content.actorType, content.actorId, content.actorEmail, content.action, content.outcome, content.subjectType, content.subjectId, content.versionHash, content.details, content.ip, content.userAgent, prevHash, hash]);
      prevHash = hash;
    }
    hashMs += performance.now() - t0;
    return JSON.stringify(rows);
  };
  const insertBatch = (json: string) =>
    db.execute(sql`
      insert into audit_events (seq, at, actor_type, actor_id, actor_email, action, outcome, subject_type, subject_id, version_hash, details, ip, user_agent, prev_hash, hash)
      select (e->>0)::bigint, (e->>1)::timestamptz, e->>2, e->>3, e->>4, e->>5, e->>6, e->>7, e->>8, e->>9, (e->10)::jsonb, e->>11, e->>12, e->>13, e->>14
      from json_array_elements(${json}::json) as e`);

  console.log(`\n## Load`);
  const loadStart = performance.now();
  let pending: Promise<unknown> | undefined;
  let progressAt = loadStart;
  for (let done = 0; done < EVENTS; ) {
    const count = Math.min(BATCH, EVENTS - done);
    const json = buildBatch(done, count); // hashed in JS while the previous batch is being inserted
    await pending;
    pending = insertBatch(json);
    done += count;
    if (performance.now() - progressAt > 15_000) {
      progressAt = performance.now();
      console.log(`  … ${fmt(done)} events, ${fmt(done / ((progressAt - loadStart) / 1000))} events/s`);
    }
  }
  await pending;
  const loadSeconds = (performance.now() - loadStart) / 1000;
  console.log(`inserted ${fmt(EVENTS)} events in ${loadSeconds.toFixed(1)} s: ${fmt(EVENTS / loadSeconds)} events/s (batches of ${BATCH}; hashing + JSON in JS took ${(hashMs / 1000).toFixed(1)} s of it, overlapped with inserts)`);
  const vacuumStart = performance.now();
  await db.execute(sql`vacuum (analyze) audit_events`);
  console.log(`vacuum analyze: ${((performance.now() - vacuumStart) / 1000).toFixed(1)} s (autovacuum would do this after a bulk load; done here so plans reflect a settled table)`);
  const [sizes] = await opened.query<{ table: string; indexes: string }>(
    sql`select pg_size_pretty(pg_table_size('audit_events')) as "table", pg_size_pretty(pg_indexes_size('audit_events')) as indexes`,
  );
  console.log(`audit_events: table ${sizes?.table}, indexes ${sizes?.indexes}`);

  // ------------------------------------------------------------ choose filter values from the data
  const counts = async (column: "actor_email" | "action") =>
    opened.query<{ value: string; n: number }>(sql`select ${sql.identifier(column)} as value, count(*)::int as n from audit_events where ${sql.identifier(column)} is not null group by 1 order by 2 desc`);
  const actorCounts = await counts("actor_email");
  const actionCounts = await counts("action");
  const runbookCounts = await opened.query<{ value: string; n: number }>(
    sql`select details->>'runbook' as value, count(*)::int as n from audit_events where details ? 'runbook' group by 1 order by 2 desc`,
  );
  const middle = <T>(list: T[]) => list[Math.floor(list.length / 2)] as T;
  const typicalActor = middle(actorCounts);
  const rareActor = actorCounts.at(-1) as { value: string; n: number };
  const typicalAction = actionCounts.find((row) => row.value === "runbook.updated") ?? middle(actionCounts);
  const rareAction = actionCounts.find((row) => row.value === "policy.archived") ?? (actionCounts.at(-1) as { value: string; n: number });
  const typicalRunbook = middle(runbookCounts);
  const rareRunbook = runbookCounts.at(-1) as { value: string; n: number };
  const [bounds] = await opened.query<{ min_id: number; max_id: number }>(sql`select min(id)::bigint as min_id, max(id)::bigint as max_id from audit_events`);
  const midId = Math.floor((Number(bounds?.min_id) + Number(bounds?.max_id)) / 2);
  const windowFrom = new Date(startAt + (SPAN_DAYS / 2) * DAY_MS);
  const windowTo = new Date(windowFrom.getTime() + DAY_MS);
  const earlyFrom = new Date(startAt + DAY_MS);
  const earlyTo = new Date(earlyFrom.getTime() + DAY_MS);
  const actorNeedle = (email: string) => email.split("@")[0] as string; // substring, as a person would type it

  const cases: Case[] = [
    { name: "first page, unfiltered", filters: {} },
    { name: `action = ${typicalAction.value}`, filters: { action: typicalAction.value } },
    { name: `action = ${rareAction.value} (rare)`, filters: { action: rareAction.value } },
    { name: `actor ~ "${actorNeedle(typicalActor.value)}"`, filters: { actor: actorNeedle(typicalActor.value) } },
    { name: `actor ~ "${actorNeedle(rareActor.value)}" (least active)`, filters: { actor: actorNeedle(rareActor.value) } },
    { name: `actor ~ "nobody" (no match)`, filters: { actor: "nobody" } },
    { name: `runbook = ${typicalRunbook.value}`, filters: { runbook: typicalRunbook.value } },
    { name: `runbook = ${rareRunbook.value} (least used)`, filters: { runbook: rareRunbook.value } },
    { name: `runbook = never-run (no match)`, filters: { runbook: "never-run" } },
    { name: "outcome = denied", filters: { outcome: "denied" } },
    { name: "time range: 1 day mid-way (day 45 of 90)", filters: { from: windowFrom, to: windowTo } },
    { name: "time range: 1 day early (day 2 of 90)", filters: { from: earlyFrom, to: earlyTo } },
    { name: `q = "${NEEDLE}" (~1%)`, filters: { q: NEEDLE } },
    { name: `q = "no-such-text" (no match)`, filters: { q: "no-such-text" } },
    { name: `q = "zq" (2 letters, no match)`, filters: { q: "zq" } },
    { name: "deep page: before = middle id", filters: {}, before: midId },
    { name: `deep page + action = ${typicalAction.value}`, filters: { action: typicalAction.value }, before: midId },
    { name: "actor + 1 day range", filters: { actor: actorNeedle(typicalActor.value), from: windowFrom, to: windowTo } },
  ];

  // ------------------------------------------------------------ timeline queries
  console.log(`\n## Timeline (limit ${PAGE}, ${REPS} repetitions each after 3 warm-ups)`);
  const baseline = await timeIt(() => opened.query(sql`select * from audit_events order by id desc limit 50`), REPS);
  console.log(`baseline "select * from audit_events order by id desc limit 50": p50 ${ms(baseline.p50)} ms, p95 ${ms(baseline.p95)} ms`);
  const results: { name: string; matching: number; rows: number; p50: number; p95: number; reps: number; c: Case }[] = [];
  for (const c of cases) {
    const [matching] = await opened.query<{ n: number }>(sql`select count(*)::int as n from audit_events where ${and(sql`true`, ...auditConditions(c.filters), c.before ? lt(auditEvents.id, c.before) : undefined)}`);
    let rows = 0;
    const timing = await timeIt(async () => {
      rows = (await auditPage(db, c.filters, PAGE, c.before)).events.length;
    }, REPS);
    results.push({ name: c.name, matching: matching?.n ?? 0, rows, ...timing, c });
    console.log(`  ${c.name}: p50 ${ms(timing.p50)} ms, p95 ${ms(timing.p95)} ms over ${timing.reps} runs (${rows} rows; ${fmt(matching?.n ?? 0)} match)`);
  }

  // ------------------------------------------------------------ export and verify
  console.log(`\n## Export and verification`);
  let peakRss = process.memoryUsage().rss;
  const rssBefore = peakRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const exportStart = performance.now();
  let exportRows = 0;
  let exportBytes = 0;
  for await (const row of chainRows(db)) {
    exportBytes += Buffer.byteLength(toJsonLine(row));
    exportRows += 1;
    if (exportRows % 10_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const exportSeconds = (performance.now() - exportStart) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(`streamed JSONL export: ${fmt(exportRows)} rows, ${mb(exportBytes)} in ${exportSeconds.toFixed(1)} s: ${fmt(exportRows / exportSeconds)} rows/s; RSS ${mb(rssBefore)} before, peak ${mb(peakRss)}`);

  let filteredRows = 0;
  const filteredStart = performance.now();
  for await (const row of chainRows(db, { runbook: typicalRunbook.value })) {
    Buffer.byteLength(toJsonLine(row));
    filteredRows += 1;
  }
  const filteredSeconds = (performance.now() - filteredStart) / 1000;
  console.log(`filtered export (runbook = ${typicalRunbook.value}): ${fmt(filteredRows)} rows in ${filteredSeconds.toFixed(1)} s`);

  const APPENDS = 500;
  const appendStart = performance.now();
  for (let index = 0; index < APPENDS; index++) {
    await recordAudit(db, { actor: { type: "system", id: "bench" }, action: "bench.append", outcome: "success", details: { index } });
  }
  const appendSeconds = (performance.now() - appendStart) / 1000;
  console.log(`recordAudit on top of the loaded chain: ${APPENDS} sequential appends in ${appendSeconds.toFixed(2)} s: ${fmt(APPENDS / appendSeconds)} events/s (${ms((appendSeconds * 1000) / APPENDS)} ms each)`);

  const verifyStart = performance.now();
  const verdict = await verifyStoredChain(db);
  const verifySeconds = (performance.now() - verifyStart) / 1000;
  console.log(`verifyStoredChain: ${JSON.stringify(verdict)} in ${verifySeconds.toFixed(1)} s: ${fmt(verdict.count / verifySeconds)} events/s`);

  // ------------------------------------------------------------ summary
  console.log(`\n## Figures (${fmt(EVENTS)} events; ratio = p50 / baseline p50 ${ms(baseline.p50)} ms)\n`);
  console.log("| query | matching events | p50 ms | p95 ms | × baseline |");
  console.log("|---|---:|---:|---:|---:|");
  console.log(`| baseline: \`order by id desc limit 50\` | ${fmt(EVENTS)} | ${ms(baseline.p50)} | ${ms(baseline.p95)} | 1.0 |`);
  for (const result of results) {
    const runs = result.reps < REPS ? ` (${result.reps} runs)` : "";
    console.log(`| ${result.name}${runs} | ${fmt(result.matching)} | ${ms(result.p50)} | ${ms(result.p95)} | ${(result.p50 / baseline.p50).toFixed(1)} |`);
  }
  console.log(`| insert (load) | ${fmt(EVENTS)} | ${fmt(EVENTS / loadSeconds)} events/s | | |`);
  console.log(`| streamed JSONL export | ${fmt(exportRows)} | ${fmt(exportRows / exportSeconds)} rows/s | peak RSS ${mb(peakRss)} | |`);
  console.log(`| filtered export (runbook) | ${fmt(filteredRows)} | ${filteredSeconds.toFixed(1)} s total | | |`);
  console.log(`| recordAudit (one event per transaction) | ${APPENDS} | ${fmt(APPENDS / appendSeconds)} events/s | ${ms((appendSeconds * 1000) / APPENDS)} ms each | |`);
  console.log(`| verifyStoredChain | ${fmt(verdict.count)} | ${fmt(verdict.count / verifySeconds)} events/s | ${verdict.ok ? "ok" : "BROKEN"} | |`);

  // ------------------------------------------------------------ plans
  const explained = results.filter((result) => options["explain-all"] || result.p50 > SLOW_MS);
  if (explained.length > 0) console.log(`\n## Plans (EXPLAIN (ANALYZE, BUFFERS) of the SQL auditPage sends${options["explain-all"] ? "" : `, for p50 > ${SLOW_MS} ms`})`);
  for (const result of explained) {
    const { c } = result;
    captured = undefined;
    await auditPage(capturing, c.filters, PAGE, c.before);
    const query = captured as { sql: string; params: unknown[] } | undefined;
    if (!query) throw new Error("auditPage sent no query to capture");
    const plan = await plain.unsafe(`explain (analyze, buffers) ${query.sql}`, query.params as never[]);
    console.log(`\n### ${c.name} (p50 ${ms(result.p50)} ms)`);
    console.log(`params: ${JSON.stringify(query.params)}`);
    const lines = plan.map((row) => String(row["QUERY PLAN"]));
    for (const line of lines.length > 16 ? [...lines.slice(0, 14), "  …", ...lines.slice(-2)] : lines) console.log(`  ${line}`);
  }
}

main()
  .then(() => cleanup())
  .catch(async (error: unknown) => {
    console.error(error);
    await cleanup().catch((cleanupError: unknown) => console.error(cleanupError));
    process.exitCode = 1;
  });
