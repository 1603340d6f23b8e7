export { createWorld, type WorldOptions } from './world-impl.js';
export { loadScenario, parseScenario, BUNDLED_SCENARIOS, scenariosDir } from './load.js';
export type { Scenario, ScenarioInput } from './schema.js';
