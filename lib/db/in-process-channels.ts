import { EventEmitter } from "node:events";

/**
 * Channels for the embedded database. PGlite lives in this one process (its data directory is
 * locked), so a notice has no other process to reach: it is handed to this process's listeners
 * without a statement that would hold the database's only thread. As with PostgreSQL, it reaches
 * those listening when it is sent (not one that starts listening after), on a later turn of the
 * event loop.
 */
export function inProcessChannels() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    notify(channel: string, payload: string): Promise<void> {
      const listening = emitter.listeners(channel) as Array<(payload: string) => void>;
      setImmediate(() => {
        const stillListening = new Set(emitter.listeners(channel));
        for (const listener of listening) {
          if (!stillListening.has(listener)) continue;
          try {
            listener(payload);
          } catch (error) {
            console.error(`[handrail] a listener on ${channel} failed: ${(error as Error).message}`);
          }
        }
      });
      return Promise.resolve();
    },
    subscribe(channel: string, listener: (payload: string) => void): Promise<() => void> {
      emitter.on(channel, listener);
      return Promise.resolve(() => {
        emitter.off(channel, listener);
      });
    },
    stopAll() {
      emitter.removeAllListeners();
    },
  };
}
