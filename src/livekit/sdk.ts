/**
 * livekit-server-sdk and @livekit/protocol, loaded on first use through their CommonJS builds. Why CommonJS:
 * @livekit/rtc-node (loaded with require, see participant.ts) brings @bufbuild/protobuf as CommonJS; importing
 * the other two as ES modules parsed a second copy of protobuf, and of jose, on every check (~100 modules).
 */
import { createRequire } from 'node:module';
import type * as ServerSdk from 'livekit-server-sdk';
import type * as Protocol from '@livekit/protocol';

const require = createRequire(import.meta.url);
let serverSdk: typeof ServerSdk | undefined;
let protocol: typeof Protocol | undefined;

export function loadServerSdk(): typeof ServerSdk {
  return (serverSdk ??= require('livekit-server-sdk') as typeof ServerSdk);
}

export function loadProtocol(): typeof Protocol {
  return (protocol ??= require('@livekit/protocol') as typeof Protocol);
}
