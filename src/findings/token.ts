import { causeRule } from './cause-rule.js';
import type { FindingRule } from './inputs.js';

export const tokenFindingRules: FindingRule[] = [
  causeRule('token.endpoint', {
    'endpoint-unauthorized': ["The app's token endpoint refuses the doctor's request (it needs the app's login)", 'medium'],
    'endpoint-not-found': ['The token endpoint URL has no route', 'high'],
    'endpoint-server-error': ["The app's token endpoint fails: the backend cannot mint tokens (often missing LiveKit env vars)", 'high'],
    'endpoint-http-error': ['The token endpoint answers with an unexpected HTTP status', 'medium'],
    'endpoint-not-json': ['The token endpoint answers with something other than JSON (a login page or the frontend route?)', 'high'],
    'endpoint-no-token': ["The token endpoint's answer carries no token the doctor recognises", 'medium'],
    'endpoint-timeout': ['The token endpoint hangs', 'high'],
    'endpoint-unreachable': ['The token endpoint cannot be reached', 'high'],
    'token-endpoint-other-server': ['The token endpoint sends the frontend to a different server than the one checked (two projects)', 'high'],
  }),
  causeRule('token.valid', {
    'token-bad-signature': ["The app's token is signed with a different secret than this project's: the server refuses the join", 'high'],
    'token-expired': ['The app hands out an expired token', 'high'],
    'token-not-yet-valid': ['The app mints tokens with a clock that runs ahead', 'high'],
    'token-malformed': ['The app hands out a malformed token', 'high'],
    'token-other-project': ["The app's token is issued by another API key: the user's room may be in another project than the agent", 'medium'],
    'token-cannot-publish': ["The app's token may not publish (canPublish=false): the user's microphone never reaches the agent", 'high'],
    'token-cannot-publish-microphone': ["The app's token may not publish a microphone (canPublishSources without microphone): the agent never hears the user", 'high'],
  }),
  causeRule('token.dispatch', {
    'token-no-agent-dispatch': ['The token dispatches no agent: a named agent is never sent to this room by the token', 'medium'],
    'token-agent-name-mismatch': ['The token dispatches a different agent name than your agent registers with', 'high'],
    'token-room-already-live': ["The token's room already exists, so the server ignores the token's agent dispatch", 'high'],
  }, [], (r, cause) => cause === 'token-room-already-live' && r.get('token.agent-joined')?.cause === 'token-dispatch-ignored-room-existed'),
  causeRule('token.agent-joined', {
    'token-dispatch-ignored-room-existed': ["No agent came: the room already existed, so the token's dispatch was ignored", 'high'],
    'token-dispatch-no-agent': ["No agent came although the token's dispatch applied: no worker with that exact name took the job in this project", 'high'],
    'no-dispatch-for-room': ['No agent came: nothing dispatches an agent to this room', 'high'],
    'other-agent-joined': ['A different agent than the one dispatched joined the room', 'medium'],
    'agent-already-in-room': ['An agent was already in the room; the token path itself was not exercised', 'low'],
    'token-join-failed': ["The app's user cannot join with the app's token", 'high'],
  }, ['token.dispatch']),
];
