import path from "node:path";
import { z } from "zod";
import { parseDuration } from "./duration";
import { parseWebhookNetworks, type WebhookNetworks } from "./webhook-networks";
import { parseTrustedProxies } from "./trusted-proxies";
import { DEFAULT_RUN_AS, isolationSettings, parseRunAs, type IsolationSetting, type RunAs } from "./isolation";

const booleanFlag = z
  .enum(["1", "0", "true", "false", "on", "off", "yes", "no"])
  .transform((value) => ["1", "true", "on", "yes"].includes(value));

/** A variable parsed by a function that throws on a bad value: its message becomes the variable's error. */
function parsedBy<T>(parse: (value: string) => T, hint = "") {
  return z.string().transform((value, ctx) => {
    try {
      return parse(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `${(error as Error).message}${hint}` });
      return z.NEVER;
    }
  });
}

const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  HANDRAIL_DATA_DIR: z.string().min(1).default(".handrail"),
  HANDRAIL_RUNBOOKS_DIR: z.string().min(1).default("runbooks"),
  HANDRAIL_DEMO: booleanFlag.optional(),
  HANDRAIL_WORKER: booleanFlag.default(true),
  HANDRAIL_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  HANDRAIL_HEARTBEAT_TIMEOUT: z.coerce.number().int().min(2).default(30),
  AUTH_SECRET: z.string().min(16).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HANDRAIL_OUTPUT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).optional(),
  HANDRAIL_OUTPUT_CAP_MB: z.coerce.number().min(0.001).max(1_000_000).default(100),
  HANDRAIL_SECRET_KEY: z.string().min(16, "must be at least 16 characters (use openssl rand -base64 32)").optional(),
  HANDRAIL_SECRET_KEY_PREVIOUS: z.string().optional(),
  HANDRAIL_APPROVAL_EXPIRES_AFTER: z
    .string()
    .refine((value) => parseDuration(value) !== undefined, 'must be a duration such as "30m", "4h" or "24h"')
    .default("24h"),
  HANDRAIL_PUBLIC_URL: z.string().url().optional(),
  HANDRAIL_ISOLATION: z.enum(isolationSettings, { message: `must be one of ${isolationSettings.join(", ")}` }).default("auto"),
  HANDRAIL_RUN_AS: z
    .string()
    .transform((value, ctx) => {
      const parsed = parseRunAs(value);
      if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: parsed });
        return z.NEVER;
      }
      return parsed;
    })
    .optional(),
  HANDRAIL_TRUSTED_PROXIES: parsedBy(parseTrustedProxies, " (addresses or CIDR ranges, comma-separated, or loopback, linklocal, uniquelocal)").optional(),
  HANDRAIL_WEBHOOK_ALLOW_NETWORKS: parsedBy(parseWebhookNetworks).optional(),
  HANDRAIL_TOKEN_MAX_DAYS: z.coerce.number({ message: "must be a whole number of days" }).int("must be a whole number of days").min(1).max(3650).default(365),
});

export interface HandrailConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  pgliteDir: string;
  runbooksDir: string;
  demo: boolean;
  workerEnabled: boolean;
  workerConcurrency: number;
  heartbeatTimeoutSeconds: number;
  authSecret: string | undefined;
  port: number;
  /** Run output older than this many days is pruned (its digest is kept); undefined keeps it forever. */
  outputRetentionDays: number | undefined;
  /** Per-run output cap in bytes: past it, lines are counted but not stored, and a marker says so. */
  outputCapBytes: number;
  /** Encrypts the secret store. */
  secretKey: string | undefined;
  /** Keys that sealed secrets before a rotation: still accepted for reading until `handrail secrets rotate`. */
  previousSecretKeys: string[];
  /** How long a run waits for approval before it expires, unless its runbook says otherwise. */
  approvalExpiresAfterMs: number;
  /** The address people open Handrail at, for links in notifications. */
  publicUrl: string;
  /** Reverse proxies whose X-Forwarded-For is believed (none by default). */
  trustedProxies: string[];
  /** Non-public networks webhooks may still be sent to (none by default). */
  webhookNetworks: WebhookNetworks;
  /** How runs are kept away from the platform and from each other (docs/security.md). */
  isolation: IsolationSetting;
  /** Who runs execute as when Handrail is root: one user, or a range of uids leased one per run. */
  runAs: RunAs;
  /** The longest lifetime an API token may be given, in days; new tokens default to 90 days or this, if shorter. */
  tokenMaxDays: number;
}

/** The one place that reads process.env. Values are validated once; a bad value names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HandrailConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const values = parsed.data;
  const dataDir = path.resolve(values.HANDRAIL_DATA_DIR);
  return {
    databaseUrl: values.DATABASE_URL,
    dataDir,
    pgliteDir: path.join(dataDir, "pgdata"),
    runbooksDir: path.resolve(values.HANDRAIL_RUNBOOKS_DIR),
    demo: values.HANDRAIL_DEMO ?? values.DATABASE_URL === undefined,
    workerEnabled: values.HANDRAIL_WORKER,
    workerConcurrency: values.HANDRAIL_WORKER_CONCURRENCY,
    heartbeatTimeoutSeconds: values.HANDRAIL_HEARTBEAT_TIMEOUT,
    authSecret: values.AUTH_SECRET,
    port: values.PORT,
    outputRetentionDays: values.HANDRAIL_OUTPUT_RETENTION_DAYS,
    outputCapBytes: Math.round(values.HANDRAIL_OUTPUT_CAP_MB * 1024 * 1024),
    secretKey: values.HANDRAIL_SECRET_KEY,
    previousSecretKeys: (values.HANDRAIL_SECRET_KEY_PREVIOUS ?? "").split(",").map((key) => key.trim()).filter(Boolean),
    approvalExpiresAfterMs: parseDuration(values.HANDRAIL_APPROVAL_EXPIRES_AFTER) ?? 24 * 3_600_000,
    publicUrl: (values.HANDRAIL_PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ""),
    trustedProxies: values.HANDRAIL_TRUSTED_PROXIES ?? [],
    webhookNetworks: values.HANDRAIL_WEBHOOK_ALLOW_NETWORKS ?? parseWebhookNetworks(undefined),
    isolation: values.HANDRAIL_ISOLATION,
    runAs: values.HANDRAIL_RUN_AS ?? DEFAULT_RUN_AS,
    tokenMaxDays: values.HANDRAIL_TOKEN_MAX_DAYS,
  };
}

let cached: HandrailConfig | undefined;
export function config(): HandrailConfig {
  cached ??= loadConfig();
  return cached;
}
