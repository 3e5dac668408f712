import { randomBytes } from 'node:crypto';

/** Every room the doctor creates is recognisable: `livekit-doctor-<id>` (or `livekit-doctor-<kind>-<id>`). */
export function doctorRoomName(kind?: string): string {
  return `livekit-doctor-${kind ? `${kind}-` : ''}${randomBytes(5).toString('hex')}`;
}

/**
 * A room created with no agents gets an automatic dispatch, which would start a session of any unnamed
 * agent in the user's project. Naming one agent at creation suppresses it; no worker has this name, so
 * nothing is started.
 */
export const NO_AUTOMATIC_DISPATCH = {
  agentName: 'livekit-doctor-no-automatic-dispatch',
  metadata: 'placeholder: keeps unnamed agents out of this test room',
};
