import { describe, expect, it } from 'vitest';
import { attributePod } from './attribute.js';
import { compileRules, DEFAULT_RULES } from './rules.js';
import { attributeService, type AttributedPod } from './service.js';

const rules = compileRules(DEFAULT_RULES);
const pod = (namespace: string, labels: Record<string, string>): AttributedPod => ({
  namespace,
  labels,
  attribution: attributePod({ namespace, name: 'predictor-0', labels }, rules),
});
const dave = pod('recsys', { app: 'predictor', owner: 'dave', project: 'recsys', 'compute-type': 'serving' });

describe('attributeService', () => {
  it('pays as the pods it selects when its own labels name no owner and they agree', () => {
    const lb = { namespace: 'recsys', labels: {}, selector: { app: 'predictor' } };
    const other = pod('recsys', { app: 'batch', owner: 'erin' });
    expect(attributeService(lb, [dave, dave, other], rules)).toEqual({
      owner: 'dave',
      project: 'recsys',
      projectId: '',
      computeType: 'serving',
    });
  });

  it('keeps its own labels first, and its own attribution when the selected pods disagree or are none', () => {
    const labelled = { namespace: 'recsys', labels: { owner: 'ops' }, selector: { app: 'predictor' } };
    expect(attributeService(labelled, [dave], rules).owner).toBe('ops');
    // A label that names a project but no owner is still its own word: kept whole.
    const project = { namespace: 'recsys', labels: { project: 'frontend' }, selector: { app: 'predictor' } };
    expect(attributeService(project, [dave], rules)).toMatchObject({
      owner: '__unowned__',
      project: 'frontend',
    });
    const erin = pod('recsys', {
      app: 'predictor',
      owner: 'erin',
      project: 'recsys',
      'compute-type': 'serving',
    });
    const shared = { namespace: 'recsys', labels: {}, selector: { app: 'predictor' } };
    expect(attributeService(shared, [dave, erin], rules)).toMatchObject({
      owner: '__unowned__',
      project: 'recsys',
    });
    expect(attributeService(shared, [], rules).owner).toBe('__unowned__');
    // A selector matches pods of its own namespace only; no selector selects nothing.
    expect(attributeService({ ...shared, namespace: 'other' }, [dave], rules).owner).toBe('__unowned__');
    expect(attributeService({ namespace: 'recsys', labels: {} }, [dave], rules).owner).toBe('__unowned__');
  });
});
