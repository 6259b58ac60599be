import { describe, expect, it } from "vitest";
import { readBoundedText } from "./bounded-body";

function chunked(chunks: string[]): Request {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
  return new Request("http://localhost/x", { method: "POST", body: stream, duplex: "half" } as RequestInit);
}

describe("bounded request bodies", () => {
  it("reads a body within the limit", async () => {
    expect(await readBoundedText(new Request("http://localhost/x", { method: "POST", body: "héllo" }), 16)).toBe("héllo");
  });

  it("refuses a declared Content-Length over the limit with 413, before reading it", async () => {
    const request = new Request("http://localhost/x", { method: "POST", body: "x".repeat(100), headers: { "content-length": "100" } });
    await expect(readBoundedText(request, 10)).rejects.toMatchObject({ status: 413, message: "request body is larger than 10 bytes" });
    expect(request.bodyUsed).toBe(false);
  });

  it("cuts off a streamed body as soon as it passes the limit", async () => {
    await expect(readBoundedText(chunked(["a".repeat(1024), "b".repeat(1024), "c".repeat(1024)]), 2000)).rejects.toMatchObject({ status: 413 });
    await expect(readBoundedText(chunked(["[", "1,".repeat(700_000), "1]"]), 1024 * 1024)).rejects.toMatchObject({ status: 413, message: "request body is larger than 1024 KiB" });
  });
});
