import { statements as initial } from './001-initial.js';
import { statements as costs } from './002-costs.js';
import { statements as ownerDaily } from './003-owner-daily.js';
import { statements as ownerIndexes } from './004-owner-indexes.js';
import { statements as tenantCreditKeys } from './005-tenant-credit-keys.js';
import { statements as workloadSpotTime } from './006-workload-spot-time.js';
import { statements as nodeMetricsView } from './007-node-metrics-view.js';
import { statements as usageBetween } from './008-usage-between.js';
import { statements as workloadHeldRequests } from './009-workload-held-requests.js';

export interface Migration {
  /** Increasing, never reused. */
  version: number;
  name: string;
  /** Run in order, in one transaction. */
  statements: string[];
}

/** Every migration, in order. Add a file `NNN-name.ts` and list it here; never edit a released one. */
export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'initial', statements: initial },
  { version: 2, name: 'costs', statements: costs },
  { version: 3, name: 'owner-daily', statements: ownerDaily },
  { version: 4, name: 'owner-indexes', statements: ownerIndexes },
  { version: 5, name: 'tenant-credit-keys', statements: tenantCreditKeys },
  { version: 6, name: 'workload-spot-time', statements: workloadSpotTime },
  { version: 7, name: 'node-metrics-view', statements: nodeMetricsView },
  { version: 8, name: 'usage-between', statements: usageBetween },
  { version: 9, name: 'workload-held-requests', statements: workloadHeldRequests },
];
