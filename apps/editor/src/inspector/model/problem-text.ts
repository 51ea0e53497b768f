/**
 * Validation messages come from zod in English and name regular expressions ("must match pattern
 * /^[A-Za-z0-9_-]{1,60}$/"). Next to a field, a person needs "up to 20 characters" or "letters, digits,
 * _ and -" in their language: this maps the common shapes to i18n keys. Anything else is shown as is.
 */
export interface ProblemText {
  key: string;
  vars: Record<string, string | number>;
}

/** Patterns of the node schemas and what they ask for, as i18n keys. */
const PATTERNS: Array<[RegExp, string]> = [
  [/^\^\[A-Za-z0-9_-\]\{1,60\}\$$/, 'problem.pattern.id'],
  [/^\^\[A-Za-z0-9_-\]\+\$$/, 'problem.pattern.id'],
  [/^\^\[A-Za-z_\]\[A-Za-z0-9_\]\*\$$/, 'problem.pattern.variable'],
  [/^\^\(\[01\]\\d\|2\[0-3\]\):\[0-5\]\\d\$$/, 'problem.pattern.time'],
  [/^\^\\d\{4\}-\\d\{2\}-\\d\{2\}\$$/, 'problem.pattern.date'],
  [/^\^\[a-z0-9\]\[a-z0-9-\]\{0,62\}\$$/, 'problem.pattern.hookPath'],
  [/^\^env:/, 'problem.pattern.secret'],
  [/^\^\(\\\+\?\\d\{6,20\}/, 'problem.pattern.phone'],
  [/^\^\[a-z0-9_\]\{1,512\}\$$/, 'problem.pattern.templateName'],
  [/^\^\[a-z\]\{2,3\}/, 'problem.pattern.language'],
];

export function problemText(message: string): ProblemText | null {
  let m = /^Too big: expected string to have <=\s?(\d+) characters?$/.exec(message);
  if (m) return { key: 'problem.tooLong', vars: { max: Number(m[1]) } };
  m = /^Too small: expected string to have >=\s?1 characters?$/.exec(message);
  if (m) return { key: 'problem.required', vars: {} };
  m = /^Too small: expected string to have >=\s?(\d+) characters?$/.exec(message);
  if (m) return { key: 'problem.tooShort', vars: { min: Number(m[1]) } };
  m = /^Too big: expected array to have <=\s?(\d+) items?$/.exec(message);
  if (m) return { key: 'problem.tooMany', vars: { max: Number(m[1]) } };
  m = /^Too small: expected array to have >=\s?(\d+) items?$/.exec(message);
  if (m) return { key: 'problem.tooFew', vars: { min: Number(m[1]) } };
  m = /^Too big: expected number to be <(=?)\s?(-?[\d.]+)$/.exec(message);
  if (m) return { key: m[1] ? 'problem.max' : 'problem.below', vars: { max: Number(m[2]) } };
  m = /^Too small: expected number to be >(=?)\s?(-?[\d.]+)$/.exec(message);
  if (m) return { key: m[1] ? 'problem.min' : 'problem.above', vars: { min: Number(m[2]) } };
  m = /^Invalid input: expected (\w+), received undefined$/.exec(message);
  if (m) return { key: 'problem.required', vars: {} };
  m = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (m) return { key: `problem.type.${m[1]}`, vars: {} };
  if (/^Invalid option: expected one of/.test(message)) return { key: 'problem.option', vars: {} };
  if (/^Invalid input: expected int, received number$/.test(message))
    return { key: 'problem.type.integer', vars: {} };
  m = /^Invalid string: must match pattern \/(.*)\/[a-z]*$/.exec(message);
  if (m) {
    const known = PATTERNS.find(([re]) => re.test(m![1]!));
    return { key: known ? known[1] : 'problem.pattern', vars: {} };
  }
  m = /^unknown property "(.*)"$/.exec(message);
  if (m) return { key: 'problem.unknownProperty', vars: { name: m[1]! } };
  return null;
}
