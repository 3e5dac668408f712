import type { Check } from './types.js';
import { settingsValid } from './settings-valid.js';
import { serverReachable } from './server-reachable.js';
import { credentialsValid } from './credentials-valid.js';
import { clockSkew } from './clock-skew.js';
import { roomsListed } from './rooms-listed.js';
import { cleanupCheck } from './cleanup.js';

/** Every check, in the order the report prints them (the path an agent session walks). */
export const CHECKS: Check[] = [settingsValid, serverReachable, credentialsValid, clockSkew, roomsListed, cleanupCheck];
