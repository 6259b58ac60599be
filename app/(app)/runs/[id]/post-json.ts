/** POSTs JSON to the API from a run page form: the answer's body when it worked, else the error the API gave. */
export async function postJson<T = unknown>(url: string, body: Record<string, unknown>): Promise<{ ok: true; data: T } | { ok: false; error: string }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (response.ok) return { ok: true, data };
  return { ok: false, error: data.error ?? `request failed (${response.status})` };
}
