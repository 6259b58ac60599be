import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents } from "../../db/schema";
import { createActor, seedRunbooks } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import { authenticateToken } from "../tokens/tokens";
import { issueToken } from "../tokens/issue-token";
import { revokeToken } from "../tokens/revoke-token";
import { changeRole } from "../users/change-role";
import { currentSessionVersion, sessionUser } from "../users/sessions";
import type { Actor } from "../actor";
import { followRunOutput } from "./read-output";
import { requestRun } from "./request-run";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let admin: Actor;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, { "quick.yaml": 'slug: quick\ntitle: Quick\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: ["/bin/true"]\n' });
  admin = await createActor(handle, "admin");
});
afterAll(async () => dispose?.());

const denials = async () => (await handle.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.outcome, "denied")))[0]?.n ?? 0;

describe(`an open output stream checks its reader again (${testDriver})`, () => {
  it("a revoked token's stream is told so, and the check records no denial", async () => {
    const developer = await createActor(handle, "developer");
    const { id: runId } = await requestRun(developer, { slug: "quick", params: {} });
    const created = await issueToken(developer, { label: "pipeline" });
    const viaToken = (await authenticateToken(created.token)) as Actor;
    const follower = await followRunOutput(viaToken, runId, () => authenticateToken(created.token));
    try {
      expect(await follower.stillAllowed()).toBeNull();
      const before = await denials();
      await revokeToken(developer, { id: created.id });
      expect(await follower.stillAllowed()).toBe("the session or token this stream was opened with is no longer valid");
      expect(await denials()).toBe(before);
    } finally {
      follower.close();
    }
  });

  it("a browser session ended by a role change ends its stream", async () => {
    const developer = await createActor(handle, "developer");
    const { id: runId } = await requestRun(developer, { slug: "quick", params: {} });
    const claims = { userId: developer.user.id, sessionId: "s1", sessionVersion: await currentSessionVersion(developer.user.id) };
    const resolve = async (): Promise<Actor | null> => {
      const user = await sessionUser(claims);
      return user ? { user, via: "web" } : null;
    };
    const follower = await followRunOutput(developer, runId, resolve);
    try {
      expect(await follower.stillAllowed()).toBeNull();
      await changeRole(admin, { email: developer.user.email, role: "auditor" });
      expect(await follower.stillAllowed()).toBe("the session or token this stream was opened with is no longer valid");
    } finally {
      follower.close();
    }
  });
});
