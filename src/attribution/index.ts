export { attributePod, type Attribution, type PodIdentity } from './attribute.js';
export {
  compileRules,
  attributionRulesSchema,
  DEFAULT_RULES,
  type AttributionRules,
  type AttributionRulesInput,
  type CompiledRules,
} from './rules.js';
