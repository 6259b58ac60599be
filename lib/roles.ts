/** Pure, so the browser can validate policy documents with the server's schema. */
export const roles = ["admin", "operator", "developer", "auditor"] as const;
export type Role = (typeof roles)[number];
