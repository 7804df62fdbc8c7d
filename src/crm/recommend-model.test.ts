import { expect, it } from 'vitest';
import { CoPurchaseModel, type Purchase } from './recommend-model.ts';
import { reasonFor } from './recommend-service.ts';

const T = new Date('2026-01-01T00:00:00Z').getTime();
const daysAgo = (days: number) => new Date(T - days * 86_400_000);
const bought = (customerId: string, skus: string[], at = daysAgo(0)): Purchase[] =>
  skus.map((sku) => ({ customerId, sku, name: sku, at }));

it('scores items bought by customers with overlapping purchases, never what the customer has', () => {
  const model = new CoPurchaseModel([
    ...bought('a', ['kettle', 'teapot', 'cups']),
    ...bought('b', ['kettle', 'teapot']),
    ...bought('c', ['kettle', 'toaster']),
    ...bought('d', ['bread', 'toaster']),
    ...bought('e', ['bread', 'jam']),
    ...bought('f', ['kettle']),
  ]);
  // A customer's pair counts 1/√(items they bought); divided by √(buyers of each item) (cosine):
  // teapot (1/√3 + 1/√2) / (√4·√2) = 0.4541, cups (1/√3) / (√4·√1) = 0.2887, toaster (1/√2) / (√4·√2) = 0.25,
  // scaled so the best is 1.
  expect(model.recommend('f', 5)).toEqual([
    { sku: 'teapot', name: 'teapot', score: 1, because: { sku: 'kettle', name: 'kettle' }, recentBuyers: 2 },
    { sku: 'cups', name: 'cups', score: 0.636, because: { sku: 'kettle', name: 'kettle' }, recentBuyers: 1 },
    {
      sku: 'toaster',
      name: 'toaster',
      score: 0.551,
      because: { sku: 'kettle', name: 'kettle' },
      recentBuyers: 2,
    },
  ]);
  expect(model.recommend('nobody', 3)).toEqual([]);
  expect(model.boughtBy('a').sort()).toEqual(['cups', 'kettle', 'teapot']);
  expect(model.mostPopular('f', 2)).toEqual(['teapot', 'toaster']);
});

it('lets pairs bought long ago fade, so last season’s companion gives way to this month’s', () => {
  const history = [
    ...bought('x1', ['kettle', 'teapot'], daysAgo(360)),
    ...bought('x2', ['kettle', 'teapot'], daysAgo(360)),
    ...bought('y', ['kettle', 'toaster']),
    ...bought('f', ['kettle']),
  ];
  // Unfaded: teapot 2·(1/√2) / (√4·√2) = 0.5 beats toaster (1/√2) / (√4·√1) = 0.354.
  expect(new CoPurchaseModel(history).recommend('f', 2).map((r) => r.sku)).toEqual(['teapot', 'toaster']);
  // With a 30-day half-life the teapot pairs count 0.5^(360/30) = 1/4096 of that: 0.0001 against 0.354.
  const faded = new CoPurchaseModel(history, { pairHalfLifeDays: 30 }).recommend('f', 2);
  expect(faded.map((r) => [r.sku, r.score])).toEqual([
    ['toaster', 1],
    ['teapot', 0],
  ]);
});

it('blends in what sells lately, and then names that as the reason instead of a bought item', () => {
  const history = [
    ...bought('c', ['kettle', 'toaster'], daysAgo(100)),
    ...bought('g', ['crackers'], daysAgo(3)),
    ...bought('h', ['crackers'], daysAgo(10)),
    ...bought('i', ['crackers'], daysAgo(20)),
    ...bought('f', ['kettle']),
  ];
  // Similarity: only toaster (1 once scaled). Lately (14 days): crackers 2 buyers, kettle 1 (f) → the
  // recent part is trend · 2/2 for crackers and 0 for toaster.
  const mild = new CoPurchaseModel(history, { trend: 0.5, trendDays: 14 }).recommend('f', 5);
  expect(mild.map((r) => [r.sku, r.score, r.because?.sku ?? null, r.recentBuyers])).toEqual([
    ['toaster', 1, 'kettle', 0],
    ['crackers', 0.5, null, 2],
  ]);
  const strong = new CoPurchaseModel(history, { trend: 2, trendDays: 14 }).recommend('f', 1);
  expect(strong[0]).toMatchObject({ sku: 'crackers', score: 2, because: null });
  expect(reasonFor(strong[0]!)).toBe(
    'Popular lately: 2 customers bought crackers in the 14 days up to the latest order',
  );
  expect(reasonFor(mild[0]!)).toBe('Bought kettle; customers who bought it also bought toaster');
});
