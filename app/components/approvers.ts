/** "role operator or admin", "team sre, or a@b.c", or null when anyone the policies let approve may. */
export function describeApprovers(approvers: { roles: readonly string[]; teams: readonly string[]; users: readonly string[] } | null | undefined): string | null {
  if (!approvers) return null;
  const parts = [
    approvers.roles.length ? `role ${approvers.roles.join(" or ")}` : null,
    approvers.teams.length ? `team ${approvers.teams.join(" or ")}` : null,
    approvers.users.length ? approvers.users.join(" or ") : null,
  ].filter((part): part is string => part !== null);
  return parts.length ? parts.join(", or ") : null;
}
