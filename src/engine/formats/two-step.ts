import { fill, NOT_FILLED, type RegexFormatSpec } from './regex-format.ts';
import type { LineFormat } from './types.ts';

/**
 * A regex format matched in two steps: HEAD (anchored) takes the leading space-separated words, REST (sticky)
 * goes on exactly where HEAD ended. As one regex, free words before a structured piece and a free tail make
 * recheck's proof of linearity blow up (a lookahead automaton of 27,608 states for syslog 5424); split, each
 * half is proven linear in seconds (tests/unit/catalog-redos.test.ts). A `\S+ ` word cannot end
 * anywhere but at its space, so HEAD has one match and the pair finds what the one regex found.
 */
export interface TwoStepSpec extends Omit<RegexFormatSpec, 'variants'> {
  head: RegExp;
  /** must carry the `y` flag */
  rest: RegExp;
  time: string | string[];
}

export function twoStepFormat(spec: TwoStepSpec): LineFormat {
  const { head, rest } = spec;
  if (!rest.sticky) throw new Error(`${spec.id}: the second regex must be sticky`);
  // the halves' groups are joined into one object: a name in both would let an unset one hide the other
  const names = (re: RegExp): string[] => [...re.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!);
  const shared = names(head).filter((n) => names(rest).includes(n));
  if (shared.length > 0) throw new Error(`${spec.id}: both regexes name the group(s) ${shared.join(', ')}`);
  const asRegex: RegexFormatSpec = { ...spec, variants: [] };
  const variant = { re: head, time: Array.isArray(spec.time) ? spec.time : [spec.time as string] };
  return {
    id: spec.id,
    name: spec.name,
    specificity: spec.specificity,
    samples: spec.samples,
    relative: spec.relative ?? false,
    parse(b, start, end, info, out, ctx) {
      const line = ctx.text(b, start, end, info);
      const h = head.exec(line);
      if (h === null) return false;
      rest.lastIndex = h[0].length;
      const r = rest.exec(line);
      if (r === null) return false;
      // an impossible time still fills the draft (time null, out.badTime set), as a one-regex format does
      return fill(asRegex, variant, Object.assign(h.groups!, r.groups), out, ctx) !== NOT_FILLED;
    },
  };
}
