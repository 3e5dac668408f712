import { UsageError } from '../core/errors.js';

/** A --voice-input the doctor cannot play is a usage error found before any agent session is started. */
export async function assertSpeechFile(path: string): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const { parseWav } = await import('../livekit/audio.js');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--voice-input ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a WAV file' : code ?? String(err)}; give a 16-bit PCM WAV, or leave the flag out to speak the built-in sample`);
  }
  try {
    parseWav(bytes);
  } catch (err) {
    throw new UsageError(`--voice-input ${path}: ${(err as Error).message}; give a 16-bit PCM WAV (e.g. sox in.wav -b 16 out.wav)`);
  }
}
