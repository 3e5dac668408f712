import type { Finding } from '../core/model.js';
import type { EnvMismatch, MismatchKind } from '../evidence/component-env/compare.js';
import type { FindingRule } from './inputs.js';
import { causeRule } from './cause-rule.js';

const TITLES: Record<MismatchKind, [string, Finding['likelihood']]> = {
  'url-host': ['The agent, backend and frontend env files point at different LiveKit servers', 'high'],
  'url-localhost': ['One component points at localhost while the others use a remote server', 'high'],
  'api-key': ['The components use different API keys: agent and backend may be in different projects', 'high'],
  'api-secret': ['The components use the same API key with different secrets', 'high'],
  'agent-name': ['The agent name differs between the agent and the backend/frontend env files', 'high'],
  'agent-name-near': ['The agent names differ only by case or spaces: the server compares them byte for byte', 'high'],
  deployment: ['The agent deployment differs between the worker and the dispatching side', 'medium'],
};

/** env.compare can find several mismatches at once: one finding each, with both values and where they came from. */
const mismatchRules: FindingRule[] = (Object.keys(TITLES) as MismatchKind[]).map((kind) => (r) => {
  const c = r.get('env.compare');
  const found = ((c?.evidence?.mismatches ?? []) as EnvMismatch[]).find((m) => m.kind === kind);
  if (!c || !found) return undefined;
  const [title, likelihood] = TITLES[kind];
  return {
    cause: `env-${kind}-mismatch`,
    title,
    likelihood,
    evidence: [found.message, ...found.sides.map((s) => `${s.component} ${s.variable}=${s.shown} (${s.file} line ${s.line})`)],
    fix: c.fix ?? { text: 'make the env files agree' },
    fromChecks: ['env.compare'],
  };
});

export const envFindingRules: FindingRule[] = [
  ...mismatchRules,
  causeRule('env.credentials', {
    'env-credentials-refused': ["A component's API key and secret are refused by its server", 'high'],
    'env-two-projects': ['The components use two different credential sets (projects or keys), each accepted', 'medium'],
  }),
];
