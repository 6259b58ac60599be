import type { DatabaseHandle } from "../db/client";
import type { HandrailConfig } from "../config/env";
import { configuredKeyring } from "../secrets/configured-keyring";
import { resolveSecrets } from "../secrets/store";
import type { WorkerOptions } from "./worker";

/** The worker options every entry point (web server, `handrail worker`) derives from configuration. */
export function workerSettings(
  handle: DatabaseHandle,
  settings: HandrailConfig,
): Pick<WorkerOptions, "handle" | "heartbeatTimeoutSeconds" | "secretKey" | "resolveSecrets" | "outputCapBytes" | "publicUrl"> {
  return {
    handle,
    heartbeatTimeoutSeconds: settings.heartbeatTimeoutSeconds,
    secretKey: settings.authSecret,
    outputCapBytes: settings.outputCapBytes,
    publicUrl: settings.publicUrl,
    resolveSecrets: (names) => resolveSecrets(handle.db, names, configuredKeyring(settings)),
  };
}
