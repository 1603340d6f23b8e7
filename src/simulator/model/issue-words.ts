/**
 * zod's words for a bound or a whole number ("Too small: expected number to be >=1", "Invalid
 * input: expected int, received number") read as a schema's, not as a fix: these say what the
 * field must be, with the value given.
 */
export interface BoundIssue {
  code: string;
  message: string;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
}

export function issueWords(i: BoundIssue, value: unknown): string {
  // A schema's own message (the object limit's) says it better than these.
  if (!/^(Too small|Too big|Invalid input):/.test(i.message)) return i.message;
  const got = typeof value === 'number' ? ` (got ${value})` : '';
  if (i.code === 'invalid_type' && i.expected === 'int' && typeof value === 'number')
    return `must be a whole number${got}`;
  if (i.code !== 'too_small' && i.code !== 'too_big') return i.message;
  const small = i.code === 'too_small';
  const bound = String(small ? i.minimum : i.maximum);
  const word = small ? (i.inclusive ? 'at least' : 'more than') : i.inclusive ? 'at most' : 'less than';
  if (i.origin === 'number') return `must be ${word} ${bound}${got}`;
  if (i.origin === 'array') return `needs ${word} ${bound} ${bound === '1' ? 'entry' : 'entries'}`;
  if (i.origin === 'string') return `must have ${word} ${bound} characters`;
  return i.message;
}
