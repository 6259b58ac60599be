/**
 * Text as it will be stored: valid Unicode (a lone UTF-16 surrogate becomes U+FFFD, as the database
 * would store it), no NUL (which PostgreSQL text and jsonb cannot hold), and at most `maxLength`
 * characters. An audit event is hashed over exactly this, so the hash covers the stored bytes.
 */
export function wellFormedText(value: string, maxLength = Number.POSITIVE_INFINITY): string {
  let text = value.includes("\u0000") ? value.replaceAll("\u0000", "\uFFFD") : value;
  if (text.length > maxLength) text = text.slice(0, maxLength);
  // After the cut too: it may have split a surrogate pair.
  return text.isWellFormed() ? text : text.toWellFormed();
}

/** Every string in a JSON-like value (keys included) made well-formed. */
export function wellFormedJson(value: unknown): unknown {
  if (typeof value === "string") return wellFormedText(value);
  if (Array.isArray(value)) return value.map(wellFormedJson);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [wellFormedText(key), wellFormedJson(entry)]));
  }
  return value;
}
