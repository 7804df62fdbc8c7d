// The built-in role-play scenarios, in English. Every workspace sees these beside its own.
import { type Scenario, scenarioSchema } from './scenario-schema.ts';
import { orderScenarios } from './scenarios-orders.ts';
import { serviceScenarios } from './scenarios-service.ts';

export const builtInScenarios: Scenario[] = [...orderScenarios, ...serviceScenarios].map((s) =>
  scenarioSchema.parse(s),
);
const byKey = new Map(builtInScenarios.map((s) => [s.key, s]));

export const builtInScenario = (key: string): Scenario | undefined => byKey.get(key);
