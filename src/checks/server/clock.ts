import { fail, pass, warn, type Check } from '../check.js';

/** The server accepts tokens up to 1 minute off (its JWT leeway); beyond 10 s things already get fragile. */
const WARN_MS = 10_000;
const FAIL_MS = 60_000;

export const clockSkew: Check = {
  id: 'server.clock',
  title: "Local clock agrees with the server's",
  needs: ['server.reachable'],
  deadlineMs: 1_000,
  async run(ctx) {
    const offset = ctx.facts.server.clockOffsetMs;
    if (offset === undefined) {
      return warn('the server sent no Date header, so the clock offset is unknown', { cause: 'clock-unknown' });
    }
    const seconds = (Math.abs(offset) / 1000).toFixed(1);
    const direction = offset > 0 ? 'ahead of' : 'behind';
    const evidence = { clockOffsetMs: offset, resolutionMs: 1000 };
    const fix = { text: "sync this machine's clock (NTP), e.g. `sudo timedatectl set-ntp true`; tokens are signed with the local time" };
    if (Math.abs(offset) > FAIL_MS) {
      return fail(`this clock is ${seconds} s ${direction} the server's: tokens will be rejected (the server allows 60 s)`, { cause: 'clock-skew', evidence, fix });
    }
    if (Math.abs(offset) > WARN_MS) {
      return warn(`this clock is ${seconds} s ${direction} the server's (more than 10 s)`, { cause: 'clock-skew', evidence, fix });
    }
    return pass(`offset ${offset > 0 ? '+' : '-'}${seconds} s (±1 s; the server allows 60 s)`, { evidence });
  },
};
