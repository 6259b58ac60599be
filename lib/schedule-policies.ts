/** What a schedule does after downtime, and when its previous run is still going (docs/schedules.md). */
export const scheduleMisfirePolicies = ["skip", "runOnce"] as const;
export type ScheduleMisfirePolicy = (typeof scheduleMisfirePolicies)[number];
export const scheduleOverlapPolicies = ["skip", "queue", "allow"] as const;
export type ScheduleOverlapPolicy = (typeof scheduleOverlapPolicies)[number];
