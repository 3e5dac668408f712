import { describe, it, expect } from 'vitest';
import {
  AvailabilityRequest, Job, JobAssignment, JobStatus, JobTermination, JobType, RegisterWorkerResponse, Room,
  ServerInfo, ServerInfo_Edition, ServerMessage, WorkerMessage, WorkerStatus,
} from '@livekit/protocol';
import { decodeServerMessage, encodeAvailability, encodeJobUpdate, encodeRegister, encodeWorkerAvailable } from '../../src/livekit/worker/messages.js';
import { WorkerError, socketFailed, upgradeRejected } from '../../src/livekit/worker/errors.js';
import { uniqueProbeName } from '../../src/livekit/worker/types.js';

const job = new Job({ id: 'AJ_1', dispatchId: 'AD_1', type: JobType.JT_ROOM, room: new Room({ name: 'r1', sid: 'RM_1' }), agentName: 'a', metadata: '{"k":1}' });

describe('worker messages', () => {
  it('register carries JT_ROOM, the agent name and version, and nothing else', () => {
    const back = WorkerMessage.fromBinary(encodeRegister('my-agent', 'livekit-doctor/0.1.0'));
    expect(back.message.case).toBe('register');
    const v = back.message.value as { type: JobType; agentName: string; version: string; allowedPermissions?: unknown; namespace?: string; deployment: string };
    expect([v.type, v.agentName, v.version]).toEqual([JobType.JT_ROOM, 'my-agent', 'livekit-doctor/0.1.0']);
    expect(v.allowedPermissions).toBeUndefined();
    expect(v.namespace).toBeUndefined();
    expect(v.deployment).toBe('');
  });

  it('an accepting availability answer has identity, name and participant_attributes', () => {
    const back = WorkerMessage.fromBinary(encodeAvailability({ jobId: 'AJ_1', available: true, identity: 'id-1', name: 'n', attributes: { 'lk.agent.name': 'a' } }));
    expect(back.toJson()).toEqual({
      availability: { jobId: 'AJ_1', available: true, participantIdentity: 'id-1', participantName: 'n', participantAttributes: { 'lk.agent.name': 'a' } },
    });
  });

  it('a rejecting answer is available:false without terminate', () => {
    const back = WorkerMessage.fromBinary(encodeAvailability({ jobId: 'AJ_2', available: false, identity: 'ignored' }));
    expect(back.toJson()).toEqual({ availability: { jobId: 'AJ_2' } });
  });

  it('status and job updates round-trip', () => {
    const w = WorkerMessage.fromBinary(encodeWorkerAvailable());
    expect(w.message.case === 'updateWorker' && w.message.value.status).toBe(WorkerStatus.WS_AVAILABLE);
    expect(w.message.case === 'updateWorker' && w.message.value.load).toBe(0);
    expect(w.toBinary().length).toBeGreaterThan(0); // an empty frame would make the server close the socket
    const j = WorkerMessage.fromBinary(encodeJobUpdate('AJ_1', 'failed', 'boom'));
    expect(j.toJson()).toEqual({ updateJob: { jobId: 'AJ_1', status: 'JS_FAILED', error: 'boom' } });
    expect(WorkerMessage.fromBinary(encodeJobUpdate('AJ_1', 'running')).message.value).toMatchObject({ status: JobStatus.JS_RUNNING });
  });

  it('decodes the register reply into ServerFacts', () => {
    const bytes = new ServerMessage({
      message: { case: 'register', value: new RegisterWorkerResponse({ workerId: 'AW_x', serverInfo: new ServerInfo({ edition: ServerInfo_Edition.Cloud, version: '1.9', protocol: 16, region: 'eu', nodeId: 'ND_1', agentProtocol: 1 }) }) },
    }).toBinary();
    expect(decodeServerMessage(bytes)).toEqual({
      kind: 'register', workerId: 'AW_x', server: { edition: 'Cloud', version: '1.9', protocol: 16, region: 'eu', nodeId: 'ND_1', agentProtocol: 1 },
    });
  });

  it('decodes availability, assignment (with and without url) and termination', () => {
    const offer = { jobId: 'AJ_1', dispatchId: 'AD_1', room: 'r1', roomSid: 'RM_1', agentName: 'a', metadata: '{"k":1}', jobType: 'JT_ROOM', resuming: false };
    const avail = new ServerMessage({ message: { case: 'availability', value: new AvailabilityRequest({ job }) } }).toBinary();
    expect(decodeServerMessage(avail)).toEqual({ kind: 'availability', offer });
    const assign = new ServerMessage({ message: { case: 'assignment', value: new JobAssignment({ job, token: 't' }) } }).toBinary();
    expect(decodeServerMessage(assign)).toEqual({ kind: 'assignment', offer, token: 't' });
    const withUrl = new ServerMessage({ message: { case: 'assignment', value: new JobAssignment({ job, token: 't', url: 'wss://other' }) } }).toBinary();
    expect(decodeServerMessage(withUrl)).toMatchObject({ url: 'wss://other' });
    const term = new ServerMessage({ message: { case: 'termination', value: new JobTermination({ jobId: 'AJ_1' }) } }).toBinary();
    expect(decodeServerMessage(term)).toEqual({ kind: 'termination', jobId: 'AJ_1' });
    expect(decodeServerMessage(new Uint8Array(0))).toEqual({ kind: 'unknown' });
  });

  it('uniqueProbeName is recognisable and unique', () => {
    const names = new Set(Array.from({ length: 200 }, uniqueProbeName));
    expect(names.size).toBe(200);
    for (const n of names) expect(n).toMatch(/^livekit-doctor-probe-[0-9a-z]{8}$/);
  });
});

describe('worker socket failures', () => {
  const secret = 'SECRETLEAKCANARYunit0123456789abcdef';
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJBUElrZXkiLCJ2aWRlbyI6eyJhZ2VudCI6dHJ1ZX19.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

  it.each([
    ['invalid API key: APIxyz', 'unknown-api-key'],
    [`invalid token: ${jwt}, error: go-jose/go-jose: error in cryptographic primitive`, 'bad-signature'],
    [`invalid token: ${jwt}, error: go-jose/go-jose/jwt: validation failed, token not valid yet (nbf)`, 'clock-skew'],
    [`invalid token: ${jwt}, error: go-jose/go-jose/jwt: validation failed, token is expired (exp)`, 'clock-skew'],
    ['permissions denied', 'permission-denied'],
  ])('401 "%s" → %s, token removed', (body, cause) => {
    const err = upgradeRejected(401, body, [secret]);
    expect(err).toBeInstanceOf(WorkerError);
    expect(err.cause).toBe(cause);
    expect(err.status).toBe(401);
    expect(err.message).not.toContain('eyJ');
    expect(err.message).not.toMatch(/\n/);
    expect(err.fix.length).toBeGreaterThan(10);
  });

  it('never repeats the secret, even when a body echoes it', () => {
    const err = upgradeRejected(401, `invalid token: ${secret}`, [secret]);
    expect(err.message).not.toContain(secret);
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(secret);
  });

  it('404 means no /agent endpoint at this URL', () => {
    const err = upgradeRejected(404, '404 page not found');
    expect([err.cause, err.status]).toEqual(['not-found', 404]);
    expect(err.isConfiguration).toBe(false);
  });

  it('credential causes are configuration errors', () => {
    expect(upgradeRejected(401, 'invalid API key: x').isConfiguration).toBe(true);
    expect(upgradeRejected(502, 'bad gateway').cause).toBe('server-error');
  });

  it.each([
    [Object.assign(new Error('getaddrinfo ENOTFOUND nope.invalid'), { code: 'ENOTFOUND' }), 'dns-failure'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'connection-refused'],
    [Object.assign(new Error('write EPROTO 80ECF2:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../x.c:350:'), { code: 'EPROTO' }), 'tls-failure'],
    [Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'tls-failure'],
  ])('socket error %# → %s', (err, cause) => {
    const w = socketFailed(err);
    expect(w.cause).toBe(cause);
    expect(w.message).not.toMatch(/\.\.\/x\.c/);
  });
});
