/** Pure audio helpers: level of 16-bit PCM frames and a minimal WAV reader. No SDK imports. */

/** Root mean square of 16-bit samples, as a fraction of full scale (0…1). An empty frame is 0. */
export function frameRms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    sum += s * s;
  }
  return Math.sqrt(sum / samples.length) / 32768;
}

/** Level in dBFS; silence is -Infinity, shown by callers as "silent". */
export function toDbfs(rms: number): number {
  return rms > 0 ? Math.round(20 * Math.log10(rms) * 10) / 10 : Number.NEGATIVE_INFINITY;
}

export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved 16-bit samples. */
  samples: Int16Array;
  /** Samples per channel. */
  frames: number;
  durationMs: number;
}

/** Reads a 16-bit PCM WAV (RIFF/WAVE, format 1 or WAVE_FORMAT_EXTENSIBLE with PCM), mono or stereo. */
export function parseWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a WAV file (no RIFF/WAVE header)');
  let format: { audioFormat: number; channels: number; sampleRate: number; bits: number } | undefined;
  let offset = 12;
  // Chunks are walked, not assumed: many encoders put LIST/fact chunks before `data`.
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16) throw new Error('WAV fmt chunk too short');
      format = {
        audioFormat: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data chunk before fmt chunk');
      return pcm16(bytes, body, Math.min(size, bytes.length - body), format);
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function pcm16(bytes: Uint8Array, start: number, length: number, f: { audioFormat: number; channels: number; sampleRate: number; bits: number }): WavAudio {
  if (f.audioFormat !== WAVE_FORMAT_PCM && f.audioFormat !== WAVE_FORMAT_EXTENSIBLE) throw new Error(`WAV format ${f.audioFormat} is not PCM`);
  if (f.bits !== 16) throw new Error(`WAV has ${f.bits}-bit samples; only 16-bit PCM is supported`);
  if (f.channels !== 1 && f.channels !== 2) throw new Error(`WAV has ${f.channels} channels; only mono or stereo is supported`);
  if (f.sampleRate < 8000 || f.sampleRate > 192000) throw new Error(`WAV sample rate ${f.sampleRate} Hz is out of range`);
  const count = Math.floor(length / 2 / f.channels) * f.channels;
  const samples = new Int16Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * 2);
  for (let i = 0; i < count; i++) samples[i] = view.getInt16(i * 2, true);
  const frames = count / f.channels;
  return { sampleRate: f.sampleRate, channels: f.channels, samples, frames, durationMs: (frames / f.sampleRate) * 1000 };
}
