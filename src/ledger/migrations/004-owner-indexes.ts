/**
 * Migration 004: the usage rollups by owner and time. An owner's own usage (a user's dashboard,
 * `/users/{owner}/usage`, any `owner=` filter grouped finer than by owner) otherwise reads every
 * owner's rows of the period: a month of a 10k-pod cluster is 300 000 daily rows for a 1 500-row
 * answer. Frozen once released.
 */
export const statements: string[] = [
  `CREATE INDEX usage_daily_owner_time ON usage_daily (owner, day)`,
  `CREATE INDEX usage_hourly_owner_time ON usage_hourly (owner, hour)`,
  `CREATE INDEX usage_interval_owner_time ON usage_interval (owner, interval_start)`,
  `CREATE INDEX usage_daily_owner_owner_time ON usage_daily_owner (owner, day)`,
];
