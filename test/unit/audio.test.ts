import { describe, it, expect } from 'vitest';
import { frameRms, parseWav, toDbfs } from '../../src/livekit/audio.js';

function sine(amplitude: number, freq: number, sampleRate: number, count: number): Int16Array {
  return Int16Array.from({ length: count }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * freq * i) / sampleRate)));
}

/** A WAV file built byte by byte, with optional extra chunks before `data`. */
function wav(opts: { sampleRate: number; channels: number; bits?: number; format?: number; samples: Int16Array; extraChunk?: boolean }): Uint8Array {
  const bits = opts.bits ?? 16;
  const data = Buffer.from(opts.samples.buffer, opts.samples.byteOffset, opts.samples.byteLength);
  const extra = opts.extraChunk ? Buffer.concat([Buffer.from('LIST'), u32(3), Buffer.from('abc\0')]) : Buffer.alloc(0);
  const fmt = Buffer.concat([
    Buffer.from('fmt '), u32(16), u16(opts.format ?? 1), u16(opts.channels), u32(opts.sampleRate),
    u32((opts.sampleRate * opts.channels * bits) / 8), u16((opts.channels * bits) / 8), u16(bits),
  ]);
  const body = Buffer.concat([Buffer.from('WAVE'), fmt, extra, Buffer.from('data'), u32(data.length), data]);
  return new Uint8Array(Buffer.concat([Buffer.from('RIFF'), u32(body.length), body]));
}
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };

describe('frameRms', () => {
  it('is 0 for silence and for an empty frame', () => {
    expect(frameRms(new Int16Array(160))).toBe(0);
    expect(frameRms(new Int16Array(0))).toBe(0);
  });
  it('is amplitude/√2 of full scale for a sine', () => {
    const rms = frameRms(sine(8000, 440, 16000, 16000));
    expect(rms).toBeCloseTo(8000 / Math.SQRT2 / 32768, 3);
    expect(toDbfs(rms)).toBeCloseTo(-15.2, 0);
  });
  it('is the absolute level for a constant (DC) frame and full scale near 1', () => {
    expect(frameRms(new Int16Array(160).fill(-16384))).toBeCloseTo(0.5, 6);
    expect(frameRms(new Int16Array(160).fill(-32768))).toBe(1);
  });
  it('separates speech level from noise at the 0.01 threshold', () => {
    expect(frameRms(sine(200, 300, 16000, 160))).toBeLessThan(0.01);
    expect(frameRms(sine(1000, 300, 16000, 160))).toBeGreaterThan(0.01);
  });
  it('reports silence as -Infinity dBFS', () => {
    expect(toDbfs(0)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('parseWav', () => {
  it('reads mono 16-bit PCM', () => {
    const samples = sine(1000, 440, 16000, 1600);
    const out = parseWav(wav({ sampleRate: 16000, channels: 1, samples }));
    expect(out).toMatchObject({ sampleRate: 16000, channels: 1, frames: 1600, durationMs: 100 });
    expect(Array.from(out.samples)).toEqual(Array.from(samples));
  });
  it('reads stereo and skips chunks before data', () => {
    const samples = Int16Array.from([1, -1, 2, -2, 3, -3]);
    const out = parseWav(wav({ sampleRate: 48000, channels: 2, samples, extraChunk: true }));
    expect(out.channels).toBe(2);
    expect(out.frames).toBe(3);
    expect(Array.from(out.samples)).toEqual([1, -1, 2, -2, 3, -3]);
  });
  it('works on a Buffer view with an offset (as readFile can return)', () => {
    const bytes = wav({ sampleRate: 8000, channels: 1, samples: Int16Array.from([5, 6, 7]) });
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(Array.from(parseWav(padded.subarray(3)).samples)).toEqual([5, 6, 7]);
  });
  it('rejects what it cannot play, with a reason', () => {
    expect(() => parseWav(new TextEncoder().encode('hello world, not a wav'))).toThrow(/not a WAV/);
    expect(() => parseWav(wav({ sampleRate: 16000, channels: 1, bits: 8, samples: new Int16Array(4) }))).toThrow(/8-bit/);
    expect(() => parseWav(wav({ sampleRate: 16000, channels: 1, format: 3, samples: new Int16Array(4) }))).toThrow(/not PCM/);
    expect(() => parseWav(wav({ sampleRate: 16000, channels: 6, samples: new Int16Array(12) }))).toThrow(/channels/);
  });
});
