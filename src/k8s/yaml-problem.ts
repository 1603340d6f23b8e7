/**
 * What is wrong with a YAML text and where, for error messages. Parsers put a code frame of the
 * text in their messages, and sometimes the offending text itself ("unidentified alias
 * "..."", "Invalid escape sequence \q"): in a kubeconfig those lines hold its credentials. So
 * only the problem and its line and column are kept, never a character of the text.
 *
 * Duck-typed on the errors of both parsers in use (the `yaml` package's, for uploaded
 * kubeconfigs, and js-yaml's, inside @kubernetes/client-node), so that neither is loaded here.
 */
export function yamlProblem(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as {
    name?: unknown;
    code?: unknown;
    linePos?: { line: number; col: number }[];
    reason?: unknown;
    mark?: { line?: unknown; column?: unknown };
  };
  // `yaml`: a stable code and 1-based positions.
  if (e.name === 'YAMLParseError' && typeof e.code === 'string') {
    const at = e.linePos?.[0];
    return at === undefined ? e.code : `${e.code} at line ${at.line}, column ${at.col}`;
  }
  // js-yaml: a phrase, some with the text quoted after it, and 0-based positions.
  if (e.name === 'YAMLException' && typeof e.reason === 'string') {
    const phrase = e.reason.split(/"|'|: |!</)[0]?.trim() || 'syntax error';
    const { line, column } = e.mark ?? {};
    return typeof line === 'number' && typeof column === 'number'
      ? `${phrase} at line ${line + 1}, column ${column + 1}`
      : phrase;
  }
  return undefined;
}
