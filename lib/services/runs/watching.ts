import { database } from "../../db";
import { markWatching, stopWatching, WATCHING_REFRESH_MS } from "../../runs/watchers";
import type { Actor } from "../actor";

/** The stream reader as a watcher of the run: called once they may read its output. */
export async function watchingPresence(actor: Actor, runId: number) {
  const handle = await database();
  return {
    refresh: () => markWatching(handle, runId, actor.user.id),
    leave: () => stopWatching(handle, runId, actor.user.id),
    refreshMs: WATCHING_REFRESH_MS,
  };
}
