import { assessRuleTrunks } from '../support/sip-assess.js';
import { fail, pass, type Check } from '../check.js';

export const sipRuleTrunks: Check = {
  id: 'sip.rule-trunks',
  title: "Each dispatch rule's trunks exist as inbound trunks",
  needs: ['sip.listed'],
  appliesTo: (o) => !!o.sip,
  deadlineMs: 1_000,
  async run(ctx) {
    const { rules, trunks } = ctx.facts.sip!;
    const problems = assessRuleTrunks(rules, trunks);
    const evidence = { problems, trunkIds: trunks.map((t) => t.id) };
    if (!problems.length) {
      const open = rules.filter((r) => !r.trunkIds.length).length;
      return pass(`${rules.length - open} rule${rules.length - open === 1 ? '' : 's'} name only existing inbound trunks${open ? `; ${open} accept${open === 1 ? 's' : ''} every trunk` : ''}`, { evidence });
    }
    return fail(problems.length > 1 ? `${problems[0]!.message} (and ${problems.length - 1} more)` : problems[0]!.message, {
      cause: 'sip-rule-unknown-trunk',
      details: problems.slice(1).map((p) => p.message),
      evidence,
      fix: problems[0]!.fix,
    });
  },
};
