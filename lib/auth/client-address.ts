/** The caller's address as the proxy in front reported it; used for the audit trail only. */
export function clientAddress(headers: Headers): string | undefined {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || undefined;
}
