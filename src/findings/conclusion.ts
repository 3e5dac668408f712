import type { FindingInputs } from './inputs.js';

/** One paragraph: how far the path got, and what the steps that passed rule out. */
export function conclude(r: FindingInputs): string {
  const broken = r.firstBroken();
  const probeOk = r.passed('probe.job-received');
  if (!broken) {
    if (probeOk && r.passed('probe.joined')) {
      const job = r.get('probe.job-received');
      const control = `Dispatch in this project works and needs no dashboard setting: a fresh probe worker registered, was dispatched, received its job request (${job?.summary ?? ''}) and joined the room.`;
      const agent = r.get('agent.joined');
      if (agent?.status === 'pass') {
        const spoke = r.get('agent.speaks');
        const voice = spoke?.status === 'pass' ? ` and spoke (${spoke.summary})` : '';
        return `${control} Your agent took its job and joined (${agent.summary})${voice}: the path works end to end here. If users still see no agent, compare what your app does with this run: its token and room (--token-endpoint, --room) and its env files (--agent-env, --backend-env).`;
      }
      return `${control} If your agent still does not come, the cause is on the agent's side (its name, project, load or a crash): run \`livekit-doctor check --agent <name>\`.`;
    }
    return 'Every check that ran passed.';
  }
  const rulesOut: string[] = [];
  if (r.passed('server.reachable')) rulesOut.push('the network path to the server');
  if (r.passed('server.credentials')) rulesOut.push('the API key and secret');
  if (probeOk) rulesOut.push('dispatch in this project (the probe got its job)');
  const ruled = rulesOut.length ? ` It rules out ${rulesOut.join(', ')}.` : '';
  return `The path stopped at "${broken.title}": ${broken.summary}.${ruled} Later steps were skipped because they need this one.`;
}
