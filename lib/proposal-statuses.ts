/** Proposal lifecycle names; pure so the pages, the services and the schema share one list. */
export const proposalStatuses = ["open", "published", "rejected", "withdrawn"] as const;
export type ProposalStatus = (typeof proposalStatuses)[number];
