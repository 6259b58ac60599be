/** Pure, so the browser can validate policy documents with the server's schema. */
export const roles = ["admin", "operator", "developer", "auditor"] as const;
export type Role = (typeof roles)[number];

/** A person signs in with a password; a service account (for pipelines) acts only through API tokens. */
export const userKinds = ["person", "service"] as const;
export type UserKind = (typeof userKinds)[number];
