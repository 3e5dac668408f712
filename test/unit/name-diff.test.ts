import { describe, it, expect } from 'vitest';
import { compareAgentNames, editDistance, visible } from '../../src/evidence/name-diff.js';

describe('compareAgentNames: makes a byte difference visible', () => {
  const cases: { title: string; expected: string; registered: string; mentions: RegExp[]; shownRegistered?: string; likelySame: boolean }[] = [
    { title: 'case', expected: 'My-Agent', registered: 'my-agent', mentions: [/case differs: "My-Agent" vs "my-agent"/], likelySame: true },
    {
      title: 'trailing space',
      expected: 'my-agent',
      registered: 'my-agent ',
      mentions: [/registered name has 1 trailing whitespace/],
      shownRegistered: '"my-agent␠"',
      likelySame: true,
    },
    {
      title: 'leading spaces',
      expected: '  my-agent',
      registered: 'my-agent',
      mentions: [/expected name has 2 leading whitespace character\(s\) \(␠␠\)/],
      likelySame: true,
    },
    {
      title: 'no-break space',
      expected: 'my agent',
      registered: 'my\u00A0agent',
      mentions: [/U\+00A0 NO-BREAK SPACE at position 3/],
      shownRegistered: '"my<U+00A0>agent"',
      likelySame: true,
    },
    {
      title: 'zero-width space',
      expected: 'my-agent',
      registered: 'my-\u200Bagent',
      mentions: [/invisible U\+200B ZERO WIDTH SPACE at position 4/],
      shownRegistered: '"my-<U+200B>agent"',
      likelySame: true,
    },
    {
      title: 'byte order mark',
      expected: '\uFEFFmy-agent',
      registered: 'my-agent',
      mentions: [/expected name contains the invisible U\+FEFF ZERO WIDTH NO-BREAK SPACE \(BOM\) at position 1/],
      likelySame: true,
    },
    {
      title: 'Cyrillic look-alike',
      expected: 'my-agent',
      registered: 'my-\u0430gent',
      mentions: [/U\+0430 CYRILLIC SMALL LETTER A at position 4, which looks like "a" \(U\+0061 LATIN SMALL LETTER A\)/],
      shownRegistered: '"my-<U+0430>gent"',
      likelySame: true,
    },
    {
      title: 'en dash instead of hyphen',
      expected: 'my\u2013agent',
      registered: 'my-agent',
      mentions: [/U\+2013 EN DASH at position 3, which looks like "-" \(U\+002D HYPHEN-MINUS\)/],
      likelySame: true,
    },
    { title: 'typo (one letter)', expected: 'my-agnet', registered: 'my-agent', mentions: [/probable typo: 1 edit/], likelySame: true },
    { title: 'typo (two letters)', expected: 'support-agnt', registered: 'suport-agent', mentions: [/probable typo: 2 edit/], likelySame: true },
    { title: 'separator', expected: 'my_agent', registered: 'my-agent', mentions: [/word separators differ/], likelySame: true },
    { title: 'unrelated names', expected: 'billing', registered: 'my-agent', mentions: [/different names/], likelySame: false },
    { title: 'NFD vs NFC', expected: 'caf\u00E9', registered: 'cafe\u0301', mentions: [/Unicode normalization differs/], likelySame: true },
  ];

  for (const c of cases) {
    it(c.title, () => {
      const result = compareAgentNames(c.expected, c.registered);
      expect(result.equal).toBe(false);
      expect(result.likelySame).toBe(c.likelySame);
      for (const m of c.mentions) expect(result.differences.join('\n')).toMatch(m);
      if (c.shownRegistered) expect(result.shown.registered).toBe(c.shownRegistered);
    });
  }

  it('equal names: no differences, shown as given', () => {
    const result = compareAgentNames('my-agent', 'my-agent');
    expect(result).toEqual({ equal: true, differences: [], shown: { expected: '"my-agent"', registered: '"my-agent"' }, likelySame: true });
  });

  it('the empty name (automatic dispatch) is not mistaken for a typo of a short name', () => {
    const result = compareAgentNames('', 'ab');
    expect(result.equal).toBe(false);
    expect(result.likelySame).toBe(false);
  });

  it('several differences at once are all listed', () => {
    const result = compareAgentNames('My-Agent', ' my\u2013agent\u200B');
    const text = result.differences.join('\n');
    expect(text).toMatch(/leading whitespace/);
    expect(text).toMatch(/EN DASH/);
    expect(text).toMatch(/ZERO WIDTH SPACE/);
    expect(text).toMatch(/case differs/);
    expect(result.shown.registered).toBe('"␠my<U+2013>agent<U+200B>"');
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'acb', 1],
    ['agent', 'agnet', 1],
    ['kitten', 'sitting', 3],
  ])('%s → %s = %i', (a, b, d) => expect(editDistance(a, b)).toBe(d));
});

describe('visible', () => {
  it('keeps inner spaces plain and marks only edge spaces', () => {
    expect(visible(' a b ')).toBe('"␠a b␠"');
  });
});
