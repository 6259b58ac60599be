import { describe, expect, it } from "vitest";
import { routeMethodsIn, serverActionsIn } from "./entry-points";

describe("entry-point discovery", () => {
  it("finds every export of a server action module, the directive after comments, in every export style", () => {
    const source = `// Actions for the thing page.
/* more comment */
"use server";
import { x } from "y";
export async function declared() {}
export const arrow = async () => undefined;
export const [first, second] = [async () => 1, async () => 2];
const hidden = async () => undefined;
async function renamed() {}
export { hidden, renamed as published };
export default async function () {}
`;
    expect(serverActionsIn("actions.ts", source).sort()).toEqual(["arrow", "declared", "default", "first", "hidden", "published", "second"].sort());
  });

  it("finds inline server actions in any component, exported or not, and ignores the string elsewhere", () => {
    const source = `import React from "react";
const note = "use server";
export default async function Page() {
  async function save(form: FormData) {
    "use server";
    void form;
  }
  const remove = async () => {
    "use server";
  };
  return [save, remove, async () => { "use server"; }];
}
`;
    expect(serverActionsIn("page.tsx", source)).toEqual(["inline save", "inline remove", "inline line 11"]);
    expect(serverActionsIn("other.ts", `export const text = "use server";\nexport function f() { return "use server"; }\n`)).toEqual([]);
  });

  it("finds route methods however they are exported", () => {
    const source = `import { handlers } from "auth";
export const { GET, POST } = handlers;
export async function DELETE() {}
const patch = async () => new Response();
export { patch as PATCH };
export const dynamic = "force-dynamic";
`;
    expect(routeMethodsIn("route.ts", source).sort()).toEqual(["DELETE", "GET", "PATCH", "POST"]);
  });
});
