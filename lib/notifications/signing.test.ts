import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signBody, verifySignature, webhookHeaders } from "./signing";

const secret = "whsec_test-secret";
const body = JSON.stringify({ event: "run.requested", run: { id: 7 } });

describe("webhook signatures", () => {
  it("signs `${timestamp}.${body}` with HMAC-SHA256, as a receiver recomputes it", () => {
    const headers = webhookHeaders(secret, { event: "run.requested", deliveryId: 42, body, timestamp: "1700000000" });
    const expected = createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    expect(headers).toEqual({
      "Content-Type": "application/json",
      "User-Agent": expect.stringMatching(/^Handrail-Webhooks\//),
      "X-Handrail-Event": "run.requested",
      "X-Handrail-Delivery": "42",
      "X-Handrail-Timestamp": "1700000000",
      "X-Handrail-Signature": `sha256=${expected}`,
    });
    expect(verifySignature(secret, { timestamp: "1700000000", signature: headers["X-Handrail-Signature"], body }, { nowSeconds: 1700000010 })).toBe(true);
  });

  it("fails a tampered body, another timestamp, another secret, a stale or missing timestamp", () => {
    const timestamp = "1700000000";
    const signature = signBody(secret, timestamp, body);
    const now = { nowSeconds: 1700000000 };
    expect(verifySignature(secret, { timestamp, signature, body: body.replace("7", "8") }, now)).toBe(false);
    expect(verifySignature(secret, { timestamp: "1700000001", signature, body }, now)).toBe(false);
    expect(verifySignature("whsec_other", { timestamp, signature, body }, now)).toBe(false);
    expect(verifySignature(secret, { timestamp, signature, body }, { nowSeconds: 1700000000 + 301 })).toBe(false);
    expect(verifySignature(secret, { timestamp: null, signature, body }, now)).toBe(false);
    expect(verifySignature(secret, { timestamp, signature: signature.slice(0, -1), body }, now)).toBe(false);
    expect(verifySignature(secret, { timestamp, signature, body }, now)).toBe(true);
  });
});
