/**
 * The server routes a dispatch only to a worker whose agent name is byte-for-byte equal (no trim,
 * no case folding). These helpers make the difference between two names visible to a human.
 */
import { describeCodePoint, INVISIBLE, LOOKALIKES, UNUSUAL_SPACES } from './unicode-tables.js';

export interface NameComparison {
  equal: boolean;
  /** One human line per difference found, most specific first. Empty when equal. */
  differences: string[];
  /** The names with invisible and non-ASCII characters spelled out, leading/trailing spaces as ␠. */
  shown: { expected: string; registered: string };
  /** True when the names differ only in ways a person would not notice or mean (case, spacing, look-alikes, a small typo). */
  likelySame: boolean;
}

const MAX_TYPO_EDITS = 2;

export function compareAgentNames(expected: string, registered: string): NameComparison {
  if (expected === registered) {
    return { equal: true, differences: [], shown: { expected: quote(expected), registered: quote(registered) }, likelySame: true };
  }
  const differences: string[] = [];
  const sides = [
    ['expected', expected],
    ['registered', registered],
  ] as const;

  if (expected.normalize('NFC') === registered.normalize('NFC')) {
    differences.push('Unicode normalization differs (one name uses combining characters, NFC vs NFD); the bytes differ although the text looks the same');
  }
  for (const [side, name] of sides) {
    for (const { index, char } of findChars(name, (c) => INVISIBLE.has(c))) {
      differences.push(`${side} name contains the invisible ${describeCodePoint(char)} at position ${index + 1}`);
    }
    for (const { index, char } of findChars(name, (c) => UNUSUAL_SPACES.has(c))) {
      differences.push(`${side} name contains ${describeCodePoint(char)} at position ${index + 1} where a plain space or nothing is likely meant`);
    }
    const lead = /^[ \t]*/.exec(name)![0].length;
    const trail = lead === name.length ? 0 : /[ \t]*$/.exec(name)![0].length;
    if (lead > 0) differences.push(`${side} name has ${lead} leading whitespace character(s) (${'␠'.repeat(lead)})`);
    if (trail > 0) differences.push(`${side} name has ${trail} trailing whitespace character(s) (${'␠'.repeat(trail)})`);
  }
  for (const [side, name] of sides) {
    for (const { index, char } of findChars(name, (c) => LOOKALIKES.has(c))) {
      differences.push(
        `${side} name has ${describeCodePoint(char)} at position ${index + 1}, which looks like "${LOOKALIKES.get(char)}" (${describeCodePoint(LOOKALIKES.get(char)!)})`,
      );
    }
  }

  const a = canonical(expected);
  const b = canonical(registered);
  let likelySame = true;
  if (a !== b) {
    if (a.toLowerCase() === b.toLowerCase()) {
      differences.push(`case differs: "${a}" vs "${b}"`);
    } else if (separatorsOnly(a) === separatorsOnly(b)) {
      differences.push(`word separators differ: "${a}" vs "${b}" ('-', '_', '.' and spaces are all different characters)`);
    } else {
      const edits = editDistance(a.toLowerCase(), b.toLowerCase());
      if (edits <= MAX_TYPO_EDITS && Math.min(a.length, b.length) > edits) {
        differences.push(`probable typo: ${edits} edit(s) apart ("${a}" vs "${b}")`);
      } else {
        differences.push(`different names ("${a}" vs "${b}", ${edits} edits apart)`);
        likelySame = false;
      }
    }
  }
  if (differences.length === 0) differences.push('the names differ in bytes that could not be explained');
  return { equal: false, differences, shown: { expected: visible(expected), registered: visible(registered) }, likelySame };
}

/** The name with every character a person could miss spelled out: `<U+200B>`, `␠` for edge spaces. */
export function visible(name: string): string {
  const chars = [...name];
  const lead = /^ */.exec(name)![0].length;
  const trail = lead === chars.length ? 0 : / *$/.exec(name)![0].length;
  const out = chars.map((c, i) => {
    if (c === ' ' && (i < lead || i >= chars.length - trail)) return '␠';
    const code = c.codePointAt(0)!;
    if (code >= 0x21 && code <= 0x7e) return c;
    if (c === ' ') return c;
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
  return quote(out.join(''));
}

function quote(s: string): string {
  return `"${s}"`;
}

/** The name as a person would read it: invisible characters gone, look-alikes mapped, edges trimmed. */
function canonical(name: string): string {
  let out = '';
  for (const c of name.normalize('NFC')) {
    if (INVISIBLE.has(c)) continue;
    if (UNUSUAL_SPACES.has(c)) out += ' ';
    else out += LOOKALIKES.get(c) ?? c;
  }
  return out.trim();
}

function separatorsOnly(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]+/g, '-');
}

function findChars(name: string, test: (c: string) => boolean): { index: number; char: string }[] {
  return [...name].flatMap((char, index) => (test(char) ? [{ index, char }] : []));
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[x.length]![y.length]!;
}
