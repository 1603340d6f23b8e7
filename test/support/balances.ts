/** Credits against costs: each owner's debits equal the costs of their rows, exactly (`__unowned__` and `__idle__` have no account). */
import type { Db } from '../../src/ledger/db.js';

export async function debitsAndCosts(db: Db): Promise<{ owner: string; debited: bigint; cost: bigint }[]> {
  const rows = await db.query<{ owner: string; debited: unknown; cost: unknown }>(
    `SELECT o.owner,
       COALESCE((SELECT -SUM(amount_micros) FROM credit_entries e WHERE e.owner = o.owner AND e.kind = 'debit'), 0) AS debited,
       COALESCE((SELECT SUM(total_cost_micros) FROM usage_interval u WHERE u.owner = o.owner), 0) AS cost
     FROM (SELECT DISTINCT owner FROM usage_interval WHERE owner NOT IN ('__idle__', '__unowned__')) o ORDER BY o.owner`,
  );
  return rows.map((r) => ({
    owner: r.owner,
    debited: BigInt(String(r.debited)),
    cost: BigInt(String(r.cost)),
  }));
}
