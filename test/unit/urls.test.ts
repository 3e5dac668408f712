import { describe, it, expect } from 'vitest';
import { agentSocketUrl, toHttpUrl, toWsUrl } from '../../src/core/urls.js';

describe('agentSocketUrl', () => {
  const cases: [string, string][] = [
    ['wss://x.livekit.cloud', 'wss://x.livekit.cloud/agent'],
    ['wss://x.livekit.cloud/', 'wss://x.livekit.cloud/agent'],
    ['https://x.livekit.cloud', 'wss://x.livekit.cloud/agent'],
    ['http://127.0.0.1:7880', 'ws://127.0.0.1:7880/agent'],
    ['ws://127.0.0.1:7880//', 'ws://127.0.0.1:7880/agent'],
    ['wss://h/lk', 'wss://h/lk/agent'],
    ['wss://h/lk/', 'wss://h/lk/agent'],
    ['https://h:8443/a/b//', 'wss://h:8443/a/b/agent'],
    ['wss://h/lk?x=1#frag', 'wss://h/lk/agent'],
    ['ws://[::1]:7880', 'ws://[::1]:7880/agent'],
    ['  WSS://Host.Example ', 'wss://host.example/agent'],
  ];
  it.each(cases)('%s → %s', (input, expected) => {
    expect(agentSocketUrl(input)).toBe(expected);
  });

  it('rejects schemes a LiveKit server does not speak', () => {
    expect(() => agentSocketUrl('ftp://h')).toThrow(/unsupported URL scheme/);
    expect(() => agentSocketUrl('not a url')).toThrow();
  });
});

describe('toWsUrl / toHttpUrl', () => {
  const cases: [string, string, string][] = [
    ['wss://h', 'wss://h', 'https://h'],
    ['ws://h:1/p/', 'ws://h:1/p', 'http://h:1/p'],
    ['https://h/p?q', 'wss://h/p', 'https://h/p'],
    ['http://h', 'ws://h', 'http://h'],
  ];
  it.each(cases)('%s → %s, %s', (input, ws, http) => {
    expect(toWsUrl(input)).toBe(ws);
    expect(toHttpUrl(input)).toBe(http);
  });
});
