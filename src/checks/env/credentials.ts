import { toConnection } from '../../config/index.js';
import { credentialSets, describeSet } from '../../evidence/component-env/credentials.js';
import { ServerApi, ServerApiError } from '../../livekit/server-api.js';
import { componentEnvs, hasEnvFiles } from '../support/component-envs.js';
import { fail, pass, warn, type Check } from '../check.js';

interface Verdict {
  set: string;
  components: string[];
  accepted: boolean;
  cause?: string;
  message?: string;
}

export const envCredentials: Check = {
  id: 'env.credentials',
  title: "Each component's key and secret are accepted by its server",
  needs: [],
  deadlineMs: (ctx) => 3 * (ctx.settings.timeoutMs + 1_000),
  appliesTo: hasEnvFiles,
  async run(ctx) {
    const { sets, incomplete } = credentialSets(componentEnvs(ctx));
    const notes = incomplete.map((i) => `${i.component}: credentials incomplete (missing ${i.missing.join(', ')}): not verified`);
    if (!sets.length) return warn('no component has a complete URL, key and secret: nothing to verify against a server', { cause: 'env-no-credentials', details: notes });
    // Each set separately: two projects must give two verdicts, not one.
    const verdicts: Verdict[] = await Promise.all(
      sets.map(async (set): Promise<Verdict> => {
        const base = { set: describeSet(set), components: set.components };
        try {
          const connection = toConnection({ value: set.url, from: { kind: 'env-file', detail: set.keySources[0]! } }, { value: set.apiKey, from: { kind: 'env-file', detail: '' } }, { value: set.apiSecret, from: { kind: 'env-file', detail: '' } }, ctx.settings.timeoutMs);
          await new ServerApi(connection).listRooms(['livekit-doctor-credentials-check']);
          return { ...base, accepted: true };
        } catch (err) {
          if (err instanceof ServerApiError) return { ...base, accepted: false, cause: err.failure.cause, message: `${err.failure.message} — ${err.failure.fix}` };
          return { ...base, accepted: false, cause: 'bad-url', message: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    const lines = verdicts.map((v) => `${v.accepted ? 'accepted' : 'REFUSED'}: ${v.set}${v.message ? ` — ${v.message}` : ''}`);
    const evidence = { verdicts: verdicts.map(({ set, components, accepted, cause }) => ({ set, components, accepted, cause })) };
    const refused = verdicts.filter((v) => !v.accepted);
    if (refused.length) {
      const r = refused[0]!;
      return fail(`${refused.length} of ${verdicts.length} credential set${verdicts.length === 1 ? '' : 's'} refused: ${r.components.join(' + ')} (${r.cause})`, {
        cause: 'env-credentials-refused',
        details: [...lines, ...notes],
        fix: { text: `fix the key/secret (or URL) in ${refused.map((v) => v.components.join(' + ')).join(' and ')}: copy them from the project the agent uses` },
        evidence,
      });
    }
    const summary = verdicts.length > 1
      ? `${verdicts.length} different credential sets, each accepted by its server: ${verdicts.map((v) => v.components.join(' + ')).join(' / ')} — accepted, but they are different projects or keys`
      : `${verdicts[0]!.set}: accepted`;
    return verdicts.length > 1 ? warn(summary, { cause: 'env-two-projects', details: [...lines, ...notes], evidence }) : pass(summary, { details: [...lines, ...notes], evidence });
  },
};
