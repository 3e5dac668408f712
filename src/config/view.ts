import type { SettingSource } from '../core/model.js';
import { maskKey } from '../core/redact.js';
import type { ResolvedSettings } from './types.js';

/** The settings as they may be shown anywhere: key masked, secret never, each with its source. */
export function settingsView(settings: ResolvedSettings): Record<string, SettingSource> {
  const notSet = { shown: '(not set)', from: '-' };
  return {
    url: settings.url ? { shown: settings.url.value, from: settings.url.from.detail } : notSet,
    apiKey: settings.apiKey ? { shown: maskKey(settings.apiKey.value), from: settings.apiKey.from.detail } : notSet,
    apiSecret: settings.apiSecret
      ? { shown: `(set, ${settings.apiSecret.value.length} chars, not shown)`, from: settings.apiSecret.from.detail }
      : notSet,
    timeout: { shown: `${settings.timeoutMs / 1000} s`, from: 'flag --timeout or default' },
  };
}
