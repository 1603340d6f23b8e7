/**
 * How many ways a pattern's repetitions can split a pod name, at most: the product over its
 * quantifiers of the lengths each may take (a name is at most 253 characters, so `*`, `+` and
 * `{m,}` take up to 253, `?` two, `{m,n}` n − m + 1). Backtracking may try them all at each start
 * of an unanchored search: `a*a*a*a*a*=` does not repeat a group (`repeatsAmbiguousGroup`), yet
 * on a name of 40 `a`s it runs for seconds, and the collector and the API share one thread.
 */
const NAME_LENGTH = 253;
const BOUND = /^\{(\d+)(,(\d*))?\}/;

/** The product of the ranges of a pattern's repetitions (1 for a pattern without any). */
export function repetitionCost(pattern: string): number {
  let cost = 1;
  let afterAtom = false; // a quantifier here repeats the atom just read
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    const bound = c === '{' ? BOUND.exec(pattern.slice(i)) : null;
    if (afterAtom && (c === '*' || c === '+' || c === '?' || bound !== null)) {
      let range = c === '?' ? 2 : NAME_LENGTH;
      if (bound !== null) {
        const min = Number(bound[1]);
        const max = bound[2] === undefined ? min : bound[3] === '' ? Infinity : Number(bound[3]);
        range = Math.min(NAME_LENGTH, max - min + 1);
        i += bound[0].length - 1;
      }
      cost *= Math.max(1, range);
      // `*?`, `+?`, `??`, `{m,n}?` are lazy: the `?` repeats nothing more.
      if (pattern[i + 1] === '?') i++;
      afterAtom = false;
      continue;
    }
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (c === '(') {
      afterAtom = false;
      // (?:  (?=  (?!  (?<=  (?<!  (?<name>  are group syntax, not a quantifier.
      const syntax = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(pattern.slice(i + 1));
      if (syntax !== null) i += syntax[0].length;
      continue;
    } else if (c === '|' || c === '^' || c === '$') {
      afterAtom = false;
      continue;
    }
    afterAtom = true;
  }
  return cost;
}

/** At most two unbounded repetitions (`.*-.*`), or fewer with others: polynomial, and small. */
export const MAX_REPETITION_COST = NAME_LENGTH * NAME_LENGTH;
