export { attributePod, type Attribution, type PodIdentity } from './attribute.js';
export { attributeService, type AttributedPod, type ServiceIdentity } from './service.js';
export {
  compileRules,
  attributionRulesSchema,
  DEFAULT_RULES,
  type AttributionRules,
  type AttributionRulesInput,
  type CompiledRules,
} from './rules.js';
export { checkRuleNames } from './rule-names.js';
