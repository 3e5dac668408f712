import { strongerEvidence } from './evidence.js';
import { conversationExplains } from './conversation.js';
import type { FindingInputs, FindingRule } from './inputs.js';

/**
 * Findings from the real-agent checks read together with the probe control: the probe getting its job
 * proves dispatch in the project works, so a silent agent is the agent's side. Timing-only inference:
 * evidence rules (server log, agent endpoint) are registered before these and outrank them.
 */
export const agentFindingRules: FindingRule[] = [
  (r) => {
    const c = r.get('agent.job-taken');
    if (c?.cause !== 'agent-no-job') return undefined;
    const probeOk = r.passed('probe.job-received');
    const name = (r.get('agent.dispatched')?.evidence?.agentName as string | undefined) ?? '';
    const deferTo = deferral(r, 'agent-not-registered');
    if (deferTo === 'same') return undefined;
    return {
      cause: 'agent-not-registered',
      title:
        (probeOk
          ? `No worker registered as exactly "${name}" in this project took the job, while the doctor's probe got its own job: the fault is on the agent's side`
          : `No worker registered as exactly "${name}" took the job`) + (deferTo ? ` (inferred from timing only; ${deferTo} says more)` : ''),
      likelihood: deferTo ? 'low' : probeOk ? 'high' : 'medium',
      evidence: [r.line('probe.job-received'), r.line('agent.dispatched'), r.line('agent.job-taken'), ...(c.details ?? [])].filter((l): l is string => !!l),
      fix: {
        text:
          'in order of likelihood: (1) the agent runs against another project — compare its LIVEKIT_URL and LIVEKIT_API_KEY with these (`livekit-doctor config` in the agent\'s folder, or --agent-env); ' +
          '(2) its name differs by case, spaces or a typo — compare byte for byte (--agent-http <its health URL>); ' +
          '(3) it is full or draining (load at or above 0.7 in production) or rejects the job; ' +
          '(4) it took the job and crashed before joining — look for "received job request" in its log, or give --server-log' +
          nextTimeHint(r),
        commands: [
          `livekit-doctor check --agent "${name}" --server-log /var/log/livekit-server.log`,
          `livekit-doctor check --agent "${name}" --agent-http http://<agent-host>:8081`,
          'livekit-doctor check --agent-env agent/.env --backend-env backend/.env',
        ],
      },
      fromChecks: ['probe.job-received', 'agent.job-taken'],
    };
  },
  (r) => {
    // An unnamed worker joined the doctor's room by automatic dispatch: the agent the user meant has no name.
    const c = r.get('agent.job-taken');
    const unnamed = ((c?.evidence?.otherAgents as { identity: string; agentName?: string }[] | undefined) ?? []).filter((o) => !o.agentName);
    if (!c || c.status === 'pass' || !unnamed.length || strongerEvidence(r)?.cause === 'agent-unnamed') return undefined;
    const name = (r.get('agent.dispatched')?.evidence?.agentName as string | undefined) ?? '';
    return {
      cause: 'agent-unnamed',
      title: `An agent registered without a name joined the doctor's room by automatic dispatch (${unnamed.map((o) => o.identity).join(', ')}), while nothing took the dispatch to "${name}": your agent probably has no agent_name / agentName`,
      likelihood: 'high',
      evidence: defined([r.line('agent.job-taken')]),
      fix: { text: `set agent_name / agentName (or LIVEKIT_AGENT_NAME) to ${JSON.stringify(name)} on the agent; an unnamed worker takes only automatic dispatch (rooms created without agents), never a dispatch by name` },
      fromChecks: ['agent.job-taken'],
    };
  },
  (r) => {
    const c = r.get('agent.job-taken');
    const others = (c?.evidence?.otherAgents as { identity: string; agentName?: string }[] | undefined) ?? [];
    if (!c || others.length === 0) return undefined;
    return {
      cause: 'other-agent-joined',
      title: `Another agent joined the doctor's room instead: ${others.map((o) => `"${o.agentName ?? ''}" (${o.identity})`).join(', ')}`,
      likelihood: 'medium',
      evidence: [r.line('agent.job-taken')!],
      fix: { text: 'an agent with another name (or an unnamed one, via automatic dispatch) is registered in this project; if that is your agent, dispatch that exact name' },
      fromChecks: ['agent.job-taken'],
    };
  },
  (r) => {
    const c = r.get('agent.job-taken');
    if (c?.cause !== 'another-worker-took-job') return undefined;
    return {
      cause: 'another-worker-took-job',
      title: 'Another worker with the same name took the job: a stale or second worker is running',
      likelihood: 'high',
      evidence: [r.line('agent.job-taken')!],
      fix: fixOrDefault(c.fix, 'stop the other worker or separate the environments'),
      fromChecks: ['agent.job-taken'],
    };
  },
  (r) => {
    const c = r.get('agent.joined');
    if (c?.cause !== 'agent-crashed-before-join') return undefined;
    const deferTo = deferral(r, 'agent-crashed-before-join');
    if (deferTo === 'same') return undefined;
    return {
      cause: 'agent-crashed-before-join',
      title: `Your agent took the job but never joined: it crashed or timed out before connecting${deferTo ? ` (inferred from timing only; ${deferTo} says more)` : ''}`,
      likelihood: deferTo ? 'low' : 'high',
      evidence: [r.line('agent.job-taken'), r.line('agent.joined')].filter((l): l is string => !!l),
      fix: fixOrDefault(c.fix, 'look at the agent\'s entrypoint and prewarm logs'),
      fromChecks: ['agent.job-taken', 'agent.joined'],
    };
  },
  (r) => {
    const c = r.get('agent.speaks');
    if (c?.cause !== 'agent-silent' || conversationExplains(r)) return undefined;
    return {
      cause: 'agent-silent',
      title: "Your agent joins but says nothing: its media pipeline (TTS/LLM keys, audio publishing) fails",
      likelihood: 'high',
      evidence: [r.line('agent.joined'), r.line('agent.speaks')].filter((l): l is string => !!l),
      fix: fixOrDefault(c.fix, 'check the agent\'s TTS/LLM/STT configuration'),
      fromChecks: ['agent.joined', 'agent.speaks'],
    };
  },
];

/**
 * Timing inference yields to direct evidence: dropped when the server log or the agent endpoint names the
 * same cause (that finding carries the proof), demoted to low when they name another one.
 */
function deferral(r: FindingInputs, cause: string): 'same' | string | undefined {
  const stronger = strongerEvidence(r);
  if (!stronger) return undefined;
  if (stronger.cause === cause) return 'same';
  return stronger.source === 'server-log' ? "the server's log" : "the agent's endpoint";
}

const defined = (lines: (string | undefined)[]) => lines.filter((l): l is string => !!l);

/**
 * After a full wait with no evidence source: the flags that answer it in about a second next time, and the
 * time this run spent waiting that they would have saved (measured on v1.13.5: the agent endpoint is read
 * before the dispatch; the server logs a missing worker ~10 ms after the dispatch, ~5 s when its name cache is cold).
 */
function nextTimeHint(r: FindingInputs): string {
  const c = r.get('agent.job-taken');
  const waitedMs = c?.evidence?.waitedMs as number | undefined;
  if (waitedMs === undefined || c?.evidence?.decidedBy || r.get('server-log.read') || r.get('agent-http.reachable')) return '';
  const s = (v: number) => `${(v / 1000).toFixed(1)} s`;
  return (
    `. This run waited the whole ${s(waitedMs)} because nothing could decide sooner: with --agent-http <the agent's health URL> a wrong or missing name is known before the dispatch (about ${s(waitedMs)} saved), ` +
    `and with --server-log <the livekit-server log> (self-hosted; - reads stdin) the server's own line names the cause within 0.1-5 s of the dispatch (${s(Math.max(0, waitedMs - 5_000))}-${s(waitedMs)} saved)`
  );
}

function fixOrDefault(fix: { text: string } | undefined, text: string) {
  return fix ?? { text };
}

