import { describe, expect, it, vi } from "vitest";
import { inProcessChannels } from "./in-process-channels";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("in-process channels (the embedded database's notices)", () => {
  it("reaches everyone listening on the channel when it was sent, on a later turn, and no other channel", async () => {
    const channels = inProcessChannels();
    const heard: string[] = [];
    await channels.subscribe("run_events", (payload) => heard.push(`a:${payload}`));
    await channels.subscribe("run_events", (payload) => heard.push(`b:${payload}`));
    await channels.subscribe("run_queued", (payload) => heard.push(`queued:${payload}`));
    await channels.notify("run_events", "7");
    expect(heard).toEqual([]);
    await nextTurn();
    expect(heard).toEqual(["a:7", "b:7"]);
  });

  it("does not reach a listener that started listening after it was sent, nor one that stopped before it arrived", async () => {
    const channels = inProcessChannels();
    const heard: string[] = [];
    const stop = await channels.subscribe("run_events", (payload) => heard.push(`early:${payload}`));
    await channels.notify("run_events", "1");
    stop();
    await channels.subscribe("run_events", (payload) => heard.push(`late:${payload}`));
    await nextTurn();
    expect(heard).toEqual([]);
    await channels.notify("run_events", "2");
    await nextTurn();
    expect(heard).toEqual(["late:2"]);
  });

  it("goes on to the other listeners when one throws", async () => {
    const channels = inProcessChannels();
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const heard: string[] = [];
    await channels.subscribe("run_cancel", () => {
      throw new Error("listener broke");
    });
    await channels.subscribe("run_cancel", (payload) => heard.push(payload));
    await channels.notify("run_cancel", "3");
    await nextTurn();
    expect(heard).toEqual(["3"]);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("listener broke"));
    errors.mockRestore();
  });

  it("stops every listener when the database closes", async () => {
    const channels = inProcessChannels();
    const heard: string[] = [];
    await channels.subscribe("run_events", (payload) => heard.push(payload));
    channels.stopAll();
    await channels.notify("run_events", "4");
    await nextTurn();
    expect(heard).toEqual([]);
  });
});
