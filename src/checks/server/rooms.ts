import { failedCall } from '../support/failure.js';
import { pass, type Check } from '../check.js';

export const roomsListed: Check = {
  id: 'server.rooms',
  title: 'Rooms can be listed',
  needs: ['server.credentials'],
  deadlineMs: (ctx) => ctx.settings.timeoutMs + 1_000,
  async run(ctx) {
    let rooms;
    try {
      rooms = await ctx.api().listRooms();
    } catch (err) {
      return failedCall(err, 'ListRooms');
    }
    const ours = rooms.filter((r) => r.name.startsWith('livekit-doctor-')).length;
    const participants = rooms.reduce((n, r) => n + r.numParticipants, 0);
    const extra = ours ? `, ${ours} of them left by an earlier doctor run` : '';
    return pass(`${rooms.length} room${rooms.length === 1 ? '' : 's'} live with ${participants} participant${participants === 1 ? '' : 's'}${extra}`, {
      evidence: { rooms: rooms.length, participants, doctorRooms: ours },
    });
  },
};
