import { loadComponentEnv, type ComponentEnv } from '../../evidence/component-env/load.js';
import type { CheckContext, CheckOptions } from '../check.js';

export const hasEnvFiles = (o: CheckOptions) => !!(o.agentEnv || o.backendEnv || o.frontendEnv);

/** The components' env files, loaded once per run (the missing-file case is a usage error before the run). */
export function componentEnvs(ctx: CheckContext): ComponentEnv[] {
  const cached = ctx.facts.componentEnvs;
  if (cached) return cached;
  const o = ctx.options;
  const envs = [
    o.agentEnv ? loadComponentEnv('agent', o.agentEnv) : undefined,
    o.backendEnv ? loadComponentEnv('backend', o.backendEnv) : undefined,
    o.frontendEnv ? loadComponentEnv('frontend', o.frontendEnv) : undefined,
  ].filter((e): e is ComponentEnv => !!e);
  ctx.facts.componentEnvs = envs;
  return envs;
}
