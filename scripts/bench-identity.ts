/**
 * What identity costs per request (issue 16): prints figures, asserts nothing.
 *
 *   npm run bench:identity                        # embedded PGlite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:identity -- --reps 3000
 *
 * Times, on a fresh database of its own, each way a request is identified, against the plainest
 * query that could identify it in the same run:
 *   session   sessionUser(): the user row, "was this session signed out?" and the session version,
 *             then the teams — vs `select … from users where id = $1` (what a JWT-only check would
 *             still need to see deactivation)
 *   token     resolveToken(): the token by its sha256 with scopes and expiry, its user and teams —
 *             vs `select … from api_tokens where token_hash = $1`
 *   ability   abilityFor() of a scoped token actor (policies loaded, rules compiled and cut to the
 *             scopes) — vs the same for a browser session (no scopes)
 * On PostgreSQL it makes (and drops) a database `handrail_bench_identity_<random>`.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { closeDatabase, openDatabase, useDatabase, type DatabaseHandle } from "../lib/db";
import { apiTokens, users } from "../lib/db/schema";
import { sha256Hex } from "../lib/hashing";
import { abilityFor, type Actor } from "../lib/services/actor";
import { prepareDatabase } from "../lib/services/prepare-database";
import { issueToken } from "../lib/services/tokens/issue-token";
import { resolveToken } from "../lib/services/tokens/tokens";
import { addUser } from "../lib/services/users/add-user";
import { sessionUser } from "../lib/services/users/sessions";

const { values: options } = parseArgs({ options: { reps: { type: "string", default: "2000" } } });
const reps = Number(options.reps);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Interleaves the two so drift on a shared machine hits both alike; returns p50 and p95 of each in ms. */
async function compare(name: string, measured: () => Promise<unknown>, baseline: () => Promise<unknown>): Promise<void> {
  const times: { measured: number[]; baseline: number[] } = { measured: [], baseline: [] };
  for (let i = 0; i < 50; i++) {
    await measured();
    await baseline();
  }
  for (let i = 0; i < reps; i++) {
    for (const [key, run] of [["measured", measured], ["baseline", baseline]] as const) {
      const started = performance.now();
      await run();
      times[key].push(performance.now() - started);
    }
  }
  const m = times.measured.sort((a, b) => a - b);
  const b = times.baseline.sort((a, b) => a - b);
  const fmt = (value: number) => value.toFixed(3).padStart(7);
  console.log(
    `${name.padEnd(9)} p50 ${fmt(percentile(m, 50))} ms  p95 ${fmt(percentile(m, 95))} ms  | baseline p50 ${fmt(percentile(b, 50))} ms  p95 ${fmt(percentile(b, 95))} ms  | ratio p50 ${(percentile(m, 50) / percentile(b, 50)).toFixed(2)}  extra p50 ${fmt(percentile(m, 50) - percentile(b, 50))} ms`,
  );
}

async function open(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void>; label: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = await openDatabase({ kind: "pglite", dataDir: undefined });
    return { handle, drop: async () => undefined, label: "embedded PGlite (in memory)" };
  }
  const name = `handrail_bench_identity_${randomBytes(4).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await openDatabase({ kind: "postgres", url: target.toString() });
  return {
    handle,
    label: `PostgreSQL (${target.host})`,
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function main(): Promise<void> {
  const { handle, drop, label } = await open();
  try {
    await prepareDatabase(handle);
    useDatabase(handle);
    const created = await addUser(handle.db, { email: "bench@example.test", name: "Bench", role: "operator", password: "bench password" }, { type: "system", id: "bench" });
    const actor: Actor = { user: { ...created, teams: [] }, via: "web" };
    const { token } = await issueToken(actor, { label: "bench", scopes: ["run"] });
    const hash = sha256Hex(token);
    const claims = { userId: created.id, sessionId: "bench-session", sessionVersion: 0 };
    const scoped = (await resolveToken(token)) as { actor: Actor };

    console.log(`identity per request on ${label}, ${reps} interleaved repetitions each\n`);
    await compare("session", () => sessionUser(claims), () => handle.db.select({ id: users.id, active: users.active }).from(users).where(eq(users.id, created.id)));
    await compare("token", () => resolveToken(token), () => handle.db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.tokenHash, hash)));
    await compare("ability", () => abilityFor(scoped.actor), () => abilityFor(actor));
    await handle.db.execute(sql`select 1`);
  } finally {
    await closeDatabase();
    await drop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
