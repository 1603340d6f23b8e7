/**
 * Migration 005: credit idempotency keys are unique per tenant, not across tenants. One tenant's
 * key (an invoice number, say) neither blocks another tenant from using it nor tells that it was
 * used. Interval debits' keys name the cluster, so they stay unique as before. Frozen once released.
 */
export const statements: string[] = [
  `ALTER TABLE credit_entries DROP CONSTRAINT credit_entries_idempotency_key_key`,
  `CREATE UNIQUE INDEX credit_entries_tenant_key ON credit_entries (tenant, idempotency_key)`,
];
