/**
 * Small, hand-picked character tables for agent names: the characters that end up in names by
 * copy-paste from chat apps, docs and word processors. Not a full confusables database.
 */

/** Zero-width and formatting characters that render as nothing. */
const INVISIBLE_NAMES: Record<string, string> = {
  '\u00AD': 'SOFT HYPHEN',
  '\u180E': 'MONGOLIAN VOWEL SEPARATOR',
  '\u200B': 'ZERO WIDTH SPACE',
  '\u200C': 'ZERO WIDTH NON-JOINER',
  '\u200D': 'ZERO WIDTH JOINER',
  '\u200E': 'LEFT-TO-RIGHT MARK',
  '\u200F': 'RIGHT-TO-LEFT MARK',
  '\u202A': 'LEFT-TO-RIGHT EMBEDDING',
  '\u202B': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202C': 'POP DIRECTIONAL FORMATTING',
  '\u202D': 'LEFT-TO-RIGHT OVERRIDE',
  '\u202E': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2060': 'WORD JOINER',
  '\u2066': 'LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'FIRST STRONG ISOLATE',
  '\u2069': 'POP DIRECTIONAL ISOLATE',
  '\uFEFF': 'ZERO WIDTH NO-BREAK SPACE (BOM)',
};

/** Spaces that look like a normal space but are other bytes. */
const SPACE_NAMES: Record<string, string> = {
  '\u00A0': 'NO-BREAK SPACE',
  '\u2002': 'EN SPACE',
  '\u2003': 'EM SPACE',
  '\u2007': 'FIGURE SPACE',
  '\u2009': 'THIN SPACE',
  '\u200A': 'HAIR SPACE',
  '\u202F': 'NARROW NO-BREAK SPACE',
  '\u205F': 'MEDIUM MATHEMATICAL SPACE',
  '\u3000': 'IDEOGRAPHIC SPACE',
};

/** Characters that look like an ASCII character, with that character. */
const LOOKALIKE_TABLE: [string, string, string][] = [
  ['\u0430', 'a', 'CYRILLIC SMALL LETTER A'],
  ['\u0435', 'e', 'CYRILLIC SMALL LETTER IE'],
  ['\u043E', 'o', 'CYRILLIC SMALL LETTER O'],
  ['\u0440', 'p', 'CYRILLIC SMALL LETTER ER'],
  ['\u0441', 'c', 'CYRILLIC SMALL LETTER ES'],
  ['\u0443', 'y', 'CYRILLIC SMALL LETTER U'],
  ['\u0445', 'x', 'CYRILLIC SMALL LETTER HA'],
  ['\u0456', 'i', 'CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I'],
  ['\u0458', 'j', 'CYRILLIC SMALL LETTER JE'],
  ['\u0455', 's', 'CYRILLIC SMALL LETTER DZE'],
  ['\u0410', 'A', 'CYRILLIC CAPITAL LETTER A'],
  ['\u0412', 'B', 'CYRILLIC CAPITAL LETTER VE'],
  ['\u0415', 'E', 'CYRILLIC CAPITAL LETTER IE'],
  ['\u041A', 'K', 'CYRILLIC CAPITAL LETTER KA'],
  ['\u041C', 'M', 'CYRILLIC CAPITAL LETTER EM'],
  ['\u041D', 'H', 'CYRILLIC CAPITAL LETTER EN'],
  ['\u041E', 'O', 'CYRILLIC CAPITAL LETTER O'],
  ['\u0420', 'P', 'CYRILLIC CAPITAL LETTER ER'],
  ['\u0421', 'C', 'CYRILLIC CAPITAL LETTER ES'],
  ['\u0422', 'T', 'CYRILLIC CAPITAL LETTER TE'],
  ['\u0425', 'X', 'CYRILLIC CAPITAL LETTER HA'],
  ['\u03B1', 'a', 'GREEK SMALL LETTER ALPHA'],
  ['\u03BF', 'o', 'GREEK SMALL LETTER OMICRON'],
  ['\u03B9', 'i', 'GREEK SMALL LETTER IOTA'],
  ['\u03BD', 'v', 'GREEK SMALL LETTER NU'],
  ['\u0391', 'A', 'GREEK CAPITAL LETTER ALPHA'],
  ['\u0392', 'B', 'GREEK CAPITAL LETTER BETA'],
  ['\u0395', 'E', 'GREEK CAPITAL LETTER EPSILON'],
  ['\u039F', 'O', 'GREEK CAPITAL LETTER OMICRON'],
  ['\u03A1', 'P', 'GREEK CAPITAL LETTER RHO'],
  ['\u03A4', 'T', 'GREEK CAPITAL LETTER TAU'],
  ['\u2010', '-', 'HYPHEN'],
  ['\u2011', '-', 'NON-BREAKING HYPHEN'],
  ['\u2012', '-', 'FIGURE DASH'],
  ['\u2013', '-', 'EN DASH'],
  ['\u2014', '-', 'EM DASH'],
  ['\u2015', '-', 'HORIZONTAL BAR'],
  ['\u2212', '-', 'MINUS SIGN'],
  ['\uFE63', '-', 'SMALL HYPHEN-MINUS'],
  ['\uFF0D', '-', 'FULLWIDTH HYPHEN-MINUS'],
  ['\uFF3F', '_', 'FULLWIDTH LOW LINE'],
  ['\u2024', '.', 'ONE DOT LEADER'],
  ['\u0131', 'i', 'LATIN SMALL LETTER DOTLESS I'],
  ['\u01C0', 'l', 'LATIN LETTER DENTAL CLICK'],
];

export const INVISIBLE: ReadonlySet<string> = new Set(Object.keys(INVISIBLE_NAMES));
export const UNUSUAL_SPACES: ReadonlySet<string> = new Set(Object.keys(SPACE_NAMES));
export const LOOKALIKES: ReadonlyMap<string, string> = new Map(LOOKALIKE_TABLE.map(([c, ascii]) => [c, ascii]));

const NAMES = new Map<string, string>([
  ...Object.entries(INVISIBLE_NAMES),
  ...Object.entries(SPACE_NAMES),
  ...LOOKALIKE_TABLE.map(([c, , name]) => [c, name] as [string, string]),
  [' ', 'SPACE'],
  ['-', 'HYPHEN-MINUS'],
  ['_', 'LOW LINE'],
  ['.', 'FULL STOP'],
]);

/** `U+0430 CYRILLIC SMALL LETTER A`; ASCII letters and digits are named too, anything else by number only. */
export function describeCodePoint(char: string): string {
  const code = char.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES.get(char) ?? asciiName(char);
  return name ? `${hex} ${name}` : hex;
}

function asciiName(char: string): string | undefined {
  if (/^[a-z]$/.test(char)) return `LATIN SMALL LETTER ${char.toUpperCase()}`;
  if (/^[A-Z]$/.test(char)) return `LATIN CAPITAL LETTER ${char}`;
  if (/^[0-9]$/.test(char)) return `DIGIT ${char}`;
  return undefined;
}
