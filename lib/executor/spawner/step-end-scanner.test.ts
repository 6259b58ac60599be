import { describe, expect, it } from "vitest";
import { StepEndScanner } from "./step-end-scanner";

const nonce = "0123456789abcdef01234567";
const marker = (status: number) => `\u001e${nonce}:${status}.`;

describe("StepEndScanner", () => {
  it("passes the step's text on and reads the status after it", () => {
    const scanner = new StepEndScanner(nonce);
    expect(scanner.push("hello\n")).toEqual({ text: "hello\n" });
    expect(scanner.push(`last line${marker(0)}`)).toEqual({ text: "last line", status: 0 });
  });

  it("finds a marker split across chunks at any point, holding back only what could be its start", () => {
    const whole = `out${marker(137)}`;
    for (let cut = 1; cut < whole.length; cut++) {
      const scanner = new StepEndScanner(nonce);
      const first = scanner.push(whole.slice(0, cut));
      const second = scanner.push(whole.slice(cut));
      expect(first.text + second.text).toBe("out");
      expect(first.status ?? second.status).toBe(137);
    }
  });

  it("treats another nonce, or a record separator in ordinary output, as text", () => {
    const scanner = new StepEndScanner(nonce);
    const forged = `\u001e${"f".repeat(24)}:0.`;
    expect(scanner.push(forged)).toEqual({ text: forged });
    expect(scanner.push("a\u001e")).toEqual({ text: "a" });
    expect(scanner.push("b")).toEqual({ text: "\u001eb" });
  });
});
