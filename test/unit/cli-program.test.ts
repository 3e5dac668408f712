/**
 * Start-up defines only the command that runs; the others come from the catalog. These tests hold the catalog to
 * the full definitions, so the top-level help cannot drift from them, and the argument scan to commander's rules.
 */
import { describe, it, expect } from 'vitest';
import { Help } from 'commander';
import { buildProgram, invokedCommand } from '../../src/commands/program.js';
import { COMMAND_CATALOG } from '../../src/commands/catalog.js';

describe('the command catalog and the lazily defined program', () => {
  it('the top-level help from the catalog alone is the help of the full program, byte for byte', async () => {
    const full = await buildProgram('all');
    const catalogOnly = await buildProgram(undefined);
    expect(catalogOnly.helpInformation()).toBe(full.helpInformation());
    expect(catalogOnly.commands.map((c) => c.name())).toEqual(full.commands.map((c) => c.name()));
  });

  it("each catalog entry's term and summary are its full definition's", async () => {
    const full = await buildProgram('all');
    const help = new Help();
    for (const entry of COMMAND_CATALOG) {
      const cmd = full.commands.find((c) => c.name() === entry.name)!;
      expect(help.subcommandTerm(cmd), entry.name).toBe(entry.term);
      expect(cmd.description(), entry.name).toBe(entry.summary);
    }
  });

  it('defines in full only the command that runs', async () => {
    const program = await buildProgram('check');
    const check = program.commands.find((c) => c.name() === 'check')!;
    expect(check.options.map((o) => o.long)).toContain('--agent');
    expect(program.commands.find((c) => c.name() === 'rooms')!.options).toEqual([]);
  });

  it('finds the command after the program options, reading their values as commander does', () => {
    expect(invokedCommand(['check', '--agent', 'x'])).toBe('check');
    expect(invokedCommand(['--url', 'check', '--api-key', 'rooms', 'participants', 'r'])).toBe('participants');
    expect(invokedCommand(['--url=wss://x', '--no-env-file', '--json', 'rooms'])).toBe('rooms');
    expect(invokedCommand(['--timeout', '5', 'help', 'sip'])).toBe('sip');
    expect(invokedCommand(['help'])).toBeUndefined();
    expect(invokedCommand(['--help'])).toBeUndefined();
    expect(invokedCommand(['-V'])).toBeUndefined();
    expect(invokedCommand(['chek'])).toBeUndefined();
    expect(invokedCommand(['--', 'check'])).toBeUndefined();
    expect(invokedCommand([])).toBeUndefined();
  });

  it('knows every program option that takes a value (a new one must be added to the scan)', async () => {
    const program = await buildProgram(undefined);
    const takesValue = program.options.filter((o) => o.required || o.optional).map((o) => o.long!);
    for (const long of takesValue) expect(invokedCommand([long, 'rooms', 'check']), long).toBe('check');
    const flags = program.options.filter((o) => !(o.required || o.optional)).map((o) => o.long!);
    for (const long of flags) expect(invokedCommand([long, 'rooms']), long).toBe('rooms');
  });
});
