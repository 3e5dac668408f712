import { maskKey } from '../../core/redact.js';
import { AGENT_NAME_VARS, compareComponents, describeMismatch, hostOf, URL_VARS, type EnvMismatch } from '../../evidence/component-env/compare.js';
import { componentEnvs, hasEnvFiles } from '../support/component-envs.js';
import { fail, pass, type Check } from '../check.js';

const FIXES: Record<EnvMismatch['kind'], string> = {
  'url-host': 'use one LIVEKIT_URL (the project the agent registers with) in every component',
  'url-localhost': 'a localhost URL only reaches a server on that same machine: set the real server URL in that component (Docker: the env of the container, not of the host)',
  'api-key': "use the same project's key and secret in the agent and the backend (LiveKit Cloud: Settings → Keys of the one project)",
  'api-secret': 'copy the secret of this key again into the component whose credentials the server refuses (env.credentials tells which)',
  'agent-name': 'use one agent name: the name the worker registers with must be the exact name the backend or token dispatches',
  'agent-name-near': 'make the names byte-identical (watch case, trailing spaces, quotes in the env file)',
  deployment: 'use the same LIVEKIT_AGENT_DEPLOYMENT (or none) for the worker and the dispatch',
};

export const envCompare: Check = {
  id: 'env.compare',
  title: 'Agent, backend and frontend env files name the same project and agent',
  needs: [],
  deadlineMs: 5_000,
  appliesTo: hasEnvFiles,
  async run(ctx) {
    const envs = componentEnvs(ctx);
    const mismatches = compareComponents(envs);
    const inventory = envs.map((e) => {
      const url = e.first(URL_VARS);
      const key = e.get('LIVEKIT_API_KEY');
      const name = e.first(AGENT_NAME_VARS);
      return { component: e.component, files: e.files, url: url?.value, host: url ? hostOf(url.value)?.host : undefined, apiKey: key ? maskKey(key.value) : undefined, agentName: name?.value };
    });
    const evidence = {
      components: inventory,
      mismatches: mismatches.map((m) => ({ kind: m.kind, message: m.message, sides: m.sides })),
    };
    const read = envs.map((e) => `${e.component}: ${e.files.join(', ')}`);
    if (mismatches.length) {
      const first = mismatches[0]!;
      return fail(`${mismatches.length} mismatch${mismatches.length === 1 ? '' : 'es'}: ${first.message}`, {
        cause: `env-${first.kind}-mismatch`,
        details: [...mismatches.flatMap(describeMismatch), ...read.map((r) => `read ${r}`)],
        fix: { text: [...new Set(mismatches.map((m) => FIXES[m.kind]))].join('; ') },
        evidence,
      });
    }
    const hosts = [...new Set(inventory.map((i) => i.host).filter(Boolean))];
    const keys = [...new Set(inventory.map((i) => i.apiKey).filter(Boolean))];
    const names = [...new Set(inventory.map((i) => i.agentName).filter((n) => n !== undefined))];
    const agree = [hosts.length ? `host ${hosts[0]}` : 'no URL set', keys.length ? `key ${keys[0]}` : 'no key set', names.length ? `agent name "${names[0]}"` : 'no agent name set'];
    return pass(`${envs.map((e) => e.component).join(', ')} agree: ${agree.join(', ')}`, { details: read.map((r) => `read ${r}`), evidence });
  },
};
