import { inArray, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../db/client";
import { signInThrottles } from "../../db/schema";

/** An account is locked from its 5th consecutive failure: 1 s, then doubling up to 15 minutes. */
export const ACCOUNT_LOCK_AFTER = 5;
export const ACCOUNT_MAX_LOCK_SECONDS = 15 * 60;
/** A client address is locked from its 50th failure in 15 minutes, until that window ends. */
export const ADDRESS_LOCK_AFTER = 50;
export const ADDRESS_WINDOW_SECONDS = 15 * 60;

export interface ThrottleKeys {
  account?: string | undefined;
  address?: string | undefined;
}

export interface NewLock {
  key: string;
  failures: number;
  lockedUntil: Date;
}

function keysOf(keys: ThrottleKeys): string[] {
  return [keys.account ? `account:${keys.account}` : undefined, keys.address ? `address:${keys.address}` : undefined].filter(
    (key): key is string => key !== undefined,
  );
}

/** Seconds until every lock on these keys has passed; 0 when none holds. */
export async function secondsLocked(db: Db, keys: ThrottleKeys): Promise<number> {
  const wanted = keysOf(keys);
  if (wanted.length === 0) return 0;
  const rows = await db.select({ lockedUntil: signInThrottles.lockedUntil }).from(signInThrottles).where(inArray(signInThrottles.key, wanted));
  const until = Math.max(0, ...rows.map((row) => row.lockedUntil?.getTime() ?? 0));
  return Math.max(0, Math.ceil((until - Date.now()) / 1000));
}

/** Counts a failure against the account and the address; returns the locks it started. */
export async function countFailure(db: Db, keys: ThrottleKeys): Promise<NewLock[]> {
  const locks: NewLock[] = [];
  if (keys.account) {
    const [row] = rowsOf<{ failures: number; locked_until: string | Date | null }>(
      await db.execute(sql`
        insert into sign_in_throttles (key, failures, window_started_at, locked_until)
        values (${`account:${keys.account}`}, 1, now(), null)
        on conflict (key) do update set
          failures = sign_in_throttles.failures + 1,
          locked_until = case when sign_in_throttles.failures + 1 >= ${ACCOUNT_LOCK_AFTER}
            then now() + make_interval(secs => least(power(2, sign_in_throttles.failures + 1 - ${ACCOUNT_LOCK_AFTER}), ${ACCOUNT_MAX_LOCK_SECONDS}))
            else null end
        returning failures, locked_until`),
    );
    if (row?.locked_until) locks.push({ key: `account:${keys.account}`, failures: row.failures, lockedUntil: new Date(row.locked_until) });
  }
  if (keys.address) {
    const expired = sql`sign_in_throttles.window_started_at < now() - make_interval(secs => ${ADDRESS_WINDOW_SECONDS})`;
    const [row] = rowsOf<{ failures: number; locked_until: string | Date | null }>(
      await db.execute(sql`
        insert into sign_in_throttles (key, failures, window_started_at, locked_until)
        values (${`address:${keys.address}`}, 1, now(), null)
        on conflict (key) do update set
          failures = case when ${expired} then 1 else sign_in_throttles.failures + 1 end,
          window_started_at = case when ${expired} then now() else sign_in_throttles.window_started_at end,
          locked_until = case when not ${expired} and sign_in_throttles.failures + 1 >= ${ADDRESS_LOCK_AFTER}
            then sign_in_throttles.window_started_at + make_interval(secs => ${ADDRESS_WINDOW_SECONDS})
            else null end
        returning failures, locked_until`),
    );
    // Only the failure that reaches the threshold starts the lock; later ones in the window extend nothing.
    if (row?.locked_until && row.failures === ADDRESS_LOCK_AFTER) {
      locks.push({ key: `address:${keys.address}`, failures: row.failures, lockedUntil: new Date(row.locked_until) });
    }
  }
  return locks;
}

/** A success ends the account's run of failures. */
export async function clearAccount(db: Db, account: string): Promise<void> {
  await db.delete(signInThrottles).where(inArray(signInThrottles.key, [`account:${account}`]));
}
