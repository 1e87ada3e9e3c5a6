import { levelFromSeverity } from './regex-format.ts';
import type { LineFormat } from './types.ts';

/**
 * RFC 5424 syslog: `<PRI>1 TIME HOST APP PROCID MSGID SD MSG`. Two regexes instead of the catalog's one: in a
 * single regex, five free words before a structured SD and a free message make recheck's proof of linearity
 * blow up (its lookahead automaton has 27,608 states); split at the SD, each piece is proven linear in under a
 * second (tests/unit/catalog-redos.test.ts). The header's words cannot re-split (a word ends at a space), so
 * the SD starts where HEAD ends, and the result is the old regex's on every line without CR, U+2028 or U+2029.
 */
export const HEAD =
  /^<(?<pri>\d{1,3})>1 (?<time>\S+) (?<host>\S+) (?<service>\S+) (?<procid>\S+) (?<msgid>\S+) /;
/** sticky: matched exactly where HEAD ended; `-` or one or more `[id k="v"]` elements, then an optional space */
export const SD = /(?<sd>-|(?:\[(?:[^\]\\]|\\.)*\])+) ?/y;

export const syslog5424: LineFormat = {
  id: 'syslog-5424',
  name: 'syslog (RFC 5424)',
  specificity: 80,
  samples: [
    '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry',
    "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - BOM'su root' failed for lonvick on /dev/pts/8",
    '<86>1 2024-01-15T10:30:45.123456+01:00 web-1 sshd 4242 - - Accepted publickey for deploy from 10.0.0.5 port 52144 ssh2',
  ],
  parse(b, start, end, info, out, ctx) {
    const line = ctx.text(b, start, end, info);
    const h = HEAD.exec(line);
    if (h === null) return false;
    SD.lastIndex = h[0].length;
    const s = SD.exec(line);
    if (s === null) return false;
    const { pri, time, host, service, procid, msgid } = h.groups as Record<string, string>;
    let t: number | null = null;
    if (time !== '-') {
      t = ctx.timeFn('iso')(time!);
      if (Number.isNaN(t)) return false; // a time that does not parse: not this format's line
    }
    out.time = t;
    out.level = levelFromSeverity(Number(pri));
    out.service = service === '-' ? null : service!;
    out.message = line.slice(SD.lastIndex).trimEnd();
    out.fields = { host: host!, procid: procid!, msgid: msgid!, sd: s.groups!.sd! };
    out.partial = false;
    return true;
  },
};
