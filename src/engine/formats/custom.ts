import { compileTimePattern, TimePatternError } from '../time/pattern.ts';
import { IsoTimeParser } from '../time/iso.ts';
import { ZoneResolver } from '../time/zone.ts';
import { regexFormat } from './regex-format.ts';
import type { LineFormat } from './types.ts';
import type { UserRegex } from '../user-regex.ts';

/** A user's format from the config, as a regex format (specificity 100: the user's word beats a guess). */
export interface CustomFormatInput {
  name: string;
  regex: string;
  time: string;
  samples: string[];
}

export function customFormat(f: CustomFormatInput): LineFormat {
  return regexFormat({
    id: `custom:${f.name}`,
    name: `${f.name} (custom)`,
    specificity: 100,
    samples: f.samples,
    userRegex: true,
    variants: [{ regex: f.regex, time: f.time, flags: 'u' }],
  });
}

const probe = (): { zone: ZoneResolver; iso: IsoTimeParser; refTime: number } => {
  const zone = new ZoneResolver('UTC');
  return { zone, iso: new IsoTimeParser(zone), refTime: Date.now() };
};

/** Why a time pattern does not compile, or null. */
export function checkTimePattern(pattern: string): string | null {
  try {
    compileTimePattern(pattern, probe());
    return null;
  } catch (e) {
    if (e instanceof TimePatternError) return `is not a valid time pattern: ${e.message}`;
    throw e;
  }
}

/** Why a sample line does not parse with the regex and time pattern, or null. */
export function customSampleProblem(re: UserRegex, time: string, sample: string): string | null {
  const m = re.exec(sample);
  if (m === null)
    return `does not match the regex: "${sample.length > 80 ? sample.slice(0, 80) + '…' : sample}"`;
  const t = m.groups?.time;
  if (t !== undefined && Number.isNaN(compileTimePattern(time, probe())(t))) {
    return `its time "${t}" does not read with the pattern "${time}"`;
  }
  return null;
}
