import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { getCustomer } from '../customers/customer-service.ts';
import { customerOrderItems } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { CoPurchaseModel, type Purchase, type Recommendation } from './recommend-model.ts';

/** The settings the recommend bench chose on Online Retail (see bench/recommend.ts). */
export const MODEL_OPTIONS = {
  neighbours: 300,
  halfLifeDays: 60,
  pairHalfLifeDays: 30,
  damping: 0.4,
  trend: 0.5,
  trendDays: 14,
} as const;

/** Every positive order line of the workspace, optionally only those before `before`. */
export async function loadPurchases(db: Db, workspaceId: string, before?: Date): Promise<Purchase[]> {
  const rows = await db
    .select({
      customerId: customerOrderItems.customerId,
      sku: customerOrderItems.sku,
      name: customerOrderItems.name,
      at: customerOrderItems.occurredAt,
    })
    .from(customerOrderItems)
    .where(
      and(
        eq(customerOrderItems.workspaceId, workspaceId),
        gt(customerOrderItems.quantity, 0),
        before ? lt(customerOrderItems.occurredAt, before) : undefined,
      ),
    );
  return rows;
}

export async function buildModel(db: Db, workspaceId: string, before?: Date) {
  return new CoPurchaseModel(await loadPurchases(db, workspaceId, before), MODEL_OPTIONS);
}

// One model per workspace, rebuilt when order lines were added since (their count and newest time).
const cache = new Map<string, { key: string; model: CoPurchaseModel }>();
const CACHE_SIZE = 20;

async function currentModel(db: Db, workspaceId: string): Promise<CoPurchaseModel> {
  const [state] = await queryRows<{ lines: string | number; newest: unknown }>(
    db,
    sql`SELECT count(*) AS lines, max(occurred_at) AS newest FROM customer_order_items WHERE workspace_id = ${workspaceId}`,
  );
  const key = `${state?.lines}:${String(state?.newest)}`;
  const hit = cache.get(workspaceId);
  if (hit?.key === key) return hit.model;
  const model = await buildModel(db, workspaceId);
  cache.delete(workspaceId);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(workspaceId, { key, model });
  return model;
}

export const reasonFor = (r: Recommendation) =>
  r.because
    ? `Bought ${r.because.name || r.because.sku}; customers who bought it also bought ${r.name || r.sku}`
    : `Popular lately: ${r.recentBuyers} ${r.recentBuyers === 1 ? 'customer' : 'customers'} bought ${r.name || r.sku} in the ${MODEL_OPTIONS.trendDays} days up to the latest order`;

/**
 * Items the customer has not bought yet, from what customers with overlapping purchases bought and what
 * sells lately, each with the reason. Empty for a customer without orders. Throws not_found for another workspace's.
 */
export async function recommendForCustomer(db: Db, actor: Actor, customerId: string, limit: number) {
  const customer = await getCustomer(db, actor, customerId);
  const model = await currentModel(db, actor.workspaceId);
  return model.recommend(customer.id, limit).map((r) => ({ ...r, reason: reasonFor(r) }));
}
