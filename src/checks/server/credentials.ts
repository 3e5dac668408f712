import { maskKey } from '../../core/redact.js';
import { failedCall } from '../support/failure.js';
import { pass, type Check } from '../check.js';

export const credentialsValid: Check = {
  id: 'server.credentials',
  title: 'API key and secret are accepted',
  needs: ['server.reachable'],
  deadlineMs: (ctx) => ctx.settings.timeoutMs + 1_000,
  async run(ctx) {
    const key = maskKey(ctx.connection!.apiKey);
    try {
      // A signed call that lists nothing: proves key, secret and clock without reading the project.
      await ctx.api().listRooms(['livekit-doctor-credentials-check']);
    } catch (err) {
      return failedCall(err, `a signed ListRooms with key ${key}`, { apiKey: key });
    }
    return pass(`a signed ListRooms with key ${key} was accepted`, { evidence: { apiKey: key } });
  },
};
