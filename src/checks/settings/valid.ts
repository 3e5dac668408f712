import { fail, pass, warn, type Check } from '../check.js';

export const settingsValid: Check = {
  id: 'settings.valid',
  title: 'Settings are complete and well-formed',
  needs: [],
  deadlineMs: 1_000,
  async run(ctx) {
    const errors = ctx.settings.problems.filter((p) => p.severity === 'error');
    const warnings = ctx.settings.problems.filter((p) => p.severity === 'warning');
    const sources = {
      urlFrom: ctx.settings.url?.from.detail,
      keyFrom: ctx.settings.apiKey?.from.detail,
      secretFrom: ctx.settings.apiSecret?.from.detail,
    };
    if (errors.length) {
      return fail(errors[0]!.message, {
        details: errors.slice(1).map((p) => p.message),
        cause: 'settings-invalid',
        fix: { text: 'set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET (flags, environment, .env, or --project); `livekit-doctor config` shows where each value comes from' },
        evidence: { sources },
      });
    }
    const summary = `URL ${ctx.settings.url!.value} (${sources.urlFrom}), key and secret from ${sources.keyFrom === sources.secretFrom ? sources.keyFrom : `${sources.keyFrom} / ${sources.secretFrom}`}`;
    if (warnings.length) {
      return warn(summary, { details: warnings.map((p) => p.message), cause: 'settings-suspicious', evidence: { sources }, fix: { text: warnings[0]!.message } });
    }
    return pass(summary, { evidence: { sources } });
  },
};
