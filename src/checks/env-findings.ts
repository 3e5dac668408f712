import { registerFindingRules } from './findings.js';
import { causeRule } from './token-findings.js';

registerFindingRules([
  causeRule('env.compare', {
    'env-url-host-mismatch': ['The agent, backend and frontend env files point at different LiveKit servers', 'high'],
    'env-url-localhost-mismatch': ['One component points at localhost while the others use a remote server', 'high'],
    'env-api-key-mismatch': ['The components use different API keys: agent and backend are in different projects', 'high'],
    'env-api-secret-mismatch': ['The components use the same API key with different secrets', 'high'],
    'env-agent-name-mismatch': ['The agent name differs between the agent and the backend/frontend env files', 'high'],
    'env-agent-name-near-mismatch': ['The agent names differ only by case or spaces: the server compares them byte for byte', 'high'],
    'env-deployment-mismatch': ['The agent deployment differs between the worker and the dispatching side', 'medium'],
  }),
  causeRule('env.credentials', {
    'env-credentials-refused': ["A component's API key and secret are refused by its server", 'high'],
    'env-two-projects': ['The components use two different credential sets (projects or keys), each accepted', 'medium'],
  }),
]);
