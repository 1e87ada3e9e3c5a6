/**
 * A cheap static check for regular expressions that can backtrack catastrophically: a quantified group
 * whose body is itself quantified, as in `(a+)+`, `(\w*)*` or `(x|y+){2,}`. It flags, it does not prove:
 * the real protection is the watchdog that stops an analysis that makes no progress.
 */
export function regexRisk(source: string): string | null {
  // For each open group: did its body contain a quantifier?
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      stack.push(false);
      continue;
    }
    const quantifier = c === '*' || c === '+' || (c === '{' && /^\{\d+,\d*\}/.test(source.slice(i)));
    if (c === ')') {
      const hadQuantifier = stack.pop() ?? false;
      const next = source[i + 1];
      const quantified =
        next === '*' || next === '+' || (next === '{' && /^\{\d+,\d*\}/.test(source.slice(i + 1)));
      if (hadQuantifier && quantified) {
        return 'a repeated group contains a repeat (nested quantifiers can take exponential time on some lines)';
      }
      if (hadQuantifier && stack.length > 0) stack[stack.length - 1] = true;
      continue;
    }
    if (quantifier && stack.length > 0) stack[stack.length - 1] = true;
  }
  return null;
}
