import { evidenceOf, fixOf, type FindingRule } from './inputs.js';

/** The path's own steps (settings → server → probe → cleanup): each rule names one cause. */
export const pathFindingRules: FindingRule[] = [
  (r) => {
    const c = r.get('settings.valid');
    if (c?.status !== 'fail') return undefined;
    return {
      cause: 'settings-invalid',
      title: 'The settings are incomplete or malformed, so nothing could be checked',
      likelihood: 'high',
      evidence: [c.summary, ...(c.details ?? [])],
      fix: fixOf(c, 'fix the settings'),
      fromChecks: ['settings.valid'],
    };
  },
  (r) => {
    const c = r.get('server.reachable');
    if (!r.failed('server.reachable') || !c) return undefined;
    return {
      cause: c.cause ?? 'server-unreachable',
      title: 'The server cannot be reached at this URL from here',
      likelihood: 'high',
      evidence: evidenceOf(r, 'server.reachable'),
      fix: fixOf(c, 'check the URL and the network path'),
      fromChecks: ['server.reachable'],
    };
  },
  (r) => {
    const c = r.get('server.credentials');
    if (!r.failed('server.credentials') || !c) return undefined;
    const titles: Record<string, string> = {
      'unknown-api-key': 'The API key is not known to this server: the key belongs to another project or server',
      'bad-signature': 'The API secret does not match the API key',
      'clock-skew': "This machine's clock is too far off: the server rejects tokens for their time",
    };
    return {
      cause: c.cause ?? 'credentials-rejected',
      title: titles[c.cause ?? ''] ?? 'The server rejected the credentials',
      likelihood: 'high',
      evidence: evidenceOf(r, 'server.credentials'),
      fix: fixOf(c, 'check the key and secret for this URL'),
      fromChecks: ['server.credentials'],
    };
  },
  (r) => {
    const c = r.get('server.clock');
    if (!c || (c.status !== 'fail' && c.status !== 'warn')) return undefined;
    return {
      cause: 'clock-skew',
      title: "This machine's clock differs from the server's",
      likelihood: c.status === 'fail' ? 'high' : 'low',
      evidence: evidenceOf(r, 'server.clock'),
      fix: fixOf(c, 'sync the clock'),
      fromChecks: ['server.clock'],
    };
  },
  (r) => {
    const c = r.get('probe.registered');
    if (!r.failed('probe.registered') || !c) return undefined;
    return {
      cause: c.cause ?? 'worker-socket-failed',
      title: 'A worker cannot register on this server: the agent endpoint (/agent) is blocked or refuses the worker',
      likelihood: 'high',
      evidence: evidenceOf(r, 'probe.registered'),
      fix: fixOf(c, 'check that WebSocket upgrades to <url>/agent pass any proxy or firewall'),
      fromChecks: ['probe.registered'],
    };
  },
  (r) => {
    const c = r.get('probe.job-received');
    if (!r.failed('probe.job-received') || !c) return undefined;
    return {
      cause: 'dispatch-not-delivered',
      title: "Dispatch in this project does not reach workers: even the doctor's own probe got no job request",
      likelihood: 'high',
      evidence: evidenceOf(r, 'probe.registered', 'probe.dispatched', 'probe.job-received'),
      fix: {
        text:
          'this is on the platform side, not your agent: self-hosted → check the server log for `failed to send job request` and the Redis/psrpc setup of multi-node deployments; LiveKit Cloud → send the evidence bundle (`--bundle`) to support',
        commands: ['livekit-doctor check --bundle livekit-doctor-evidence.zip'],
      },
      fromChecks: ['probe.job-received'],
    };
  },
  (r) => {
    const c = r.get('probe.job-assigned');
    if (!r.failed('probe.job-assigned') || !c) return undefined;
    return {
      cause: c.cause ?? 'assignment-missing',
      title: 'The probe accepted its job but the server never assigned it',
      likelihood: 'high',
      evidence: evidenceOf(r, 'probe.job-received', 'probe.job-assigned'),
      fix: fixOf(c, 'check the server log around the job id for `failed to assign job to worker`'),
      fromChecks: ['probe.job-assigned'],
    };
  },
  (r) => {
    const c = r.get('probe.joined');
    if (!r.failed('probe.joined') || !c) return undefined;
    return {
      cause: c.cause ?? 'join-failed',
      title: 'Jobs are delivered, but joining the room with the job token fails (media path: WebRTC/TURN ports)',
      likelihood: 'high',
      evidence: evidenceOf(r, 'probe.job-assigned', 'probe.joined'),
      fix: fixOf(c, 'check that the RTC ports (UDP 50000-60000 or TCP 7881, TURN/TLS 443) are reachable from where agents run'),
      fromChecks: ['probe.joined'],
    };
  },
  (r) => {
    const c = r.get('cleanup');
    if (!r.failed('cleanup') || !c) return undefined;
    return {
      cause: 'cleanup-incomplete',
      title: 'The doctor could not remove everything it created',
      likelihood: 'low',
      evidence: evidenceOf(r, 'cleanup'),
      fix: fixOf(c, 'delete the livekit-doctor-* rooms listed by `livekit-doctor rooms`'),
      fromChecks: ['cleanup'],
    };
  },
];
