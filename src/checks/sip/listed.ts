import { isSipNeedsRedis, SipApi, SIP_NEEDS_REDIS_TEXT } from '../../livekit/sip-api.js';
import { failedCall } from '../support/failure.js';
import { ruleLine, trunkLine } from '../support/sip-assess.js';
import { fail, pass, type Check } from '../check.js';

/** The one line for a self-hosted server without Redis (its own answer is an HTTP 500 with a terse text). */
export const SIP_NEEDS_REDIS_SUMMARY = `SIP is not available on this server: it answers every SIP call with HTTP 500 "${SIP_NEEDS_REDIS_TEXT}" — livekit-server runs without Redis, and SIP needs it`;

export const sipListed: Check = {
  id: 'sip.listed',
  title: 'SIP dispatch rules and inbound trunks can be listed',
  needs: ['server.credentials'],
  appliesTo: (o) => !!o.sip,
  deadlineMs: (ctx) => ctx.settings.timeoutMs + 2_000,
  async run(ctx) {
    const sip = new SipApi(ctx.connection!);
    let rules, trunks;
    try {
      [rules, trunks] = await Promise.all([sip.listDispatchRules(), sip.listInboundTrunks()]);
    } catch (err) {
      if (isSipNeedsRedis(err)) {
        return fail(SIP_NEEDS_REDIS_SUMMARY, {
          cause: 'sip-needs-redis',
          fix: {
            text: 'add a `redis:` section (address, db) to the livekit-server config and run the livekit/sip service against the same Redis; rules and trunks are stored there (LiveKit Cloud has SIP built in)',
            links: ['https://docs.livekit.io/home/self-hosting/sip-server/'],
          },
          evidence: { status: 500, answer: SIP_NEEDS_REDIS_TEXT },
        });
      }
      return failedCall(err, 'listing SIP dispatch rules and inbound trunks');
    }
    ctx.facts.sip = { rules, trunks };
    const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    return pass(`${count(rules.length, 'dispatch rule')}, ${count(trunks.length, 'inbound trunk')}`, {
      details: [...rules.map(ruleLine), ...trunks.map(trunkLine)],
      evidence: { rules, trunks },
    });
  },
};
