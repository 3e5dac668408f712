import { maskKey, redact } from '../../core/redact.js';

const MAX_QUOTE = 600;
// `assigned job to worker` names the API key of the worker; keys are not secret, but reports show them masked.
const API_KEY_FIELD = /("apiKey"\s*:\s*")([^"]*)(")/g;

/** A log line as it may appear in a report: secrets and JWTs removed, the API key masked, long lines cut. */
export function quoteLine(raw: string): string {
  const text = redact(raw.trim()).replace(API_KEY_FIELD, (_m, head: string, key: string, tail: string) => `${head}${maskKey(key)}${tail}`);
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}…` : text;
}
