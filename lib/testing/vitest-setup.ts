/**
 * Each vitest worker runs its runs as uids of its own: two test files at once would otherwise lease
 * the same run uids, and releasing a uid stops every process of it (the other file's runs too).
 */
const RANGE_START = 2_000_000_000;
const RANGE_SIZE = 1000;
const pool = Number(process.env.VITEST_POOL_ID ?? "1");
if (!process.env.HANDRAIL_RUN_AS && Number.isInteger(pool) && pool >= 1) {
  const first = RANGE_START + (pool - 1) * RANGE_SIZE;
  process.env.HANDRAIL_RUN_AS = `${first}-${first + RANGE_SIZE - 1}`;
}
