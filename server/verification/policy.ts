import type { SiteConfig } from '../config.js';
import { HttpProblem } from '../errors.js';
import { HIGH_RISK_COUNTRIES } from './high-risk.js';
import type { Destination } from './phone.js';

/** A flash call only proves possession of a phone that rings and shows caller ID. */
const CALLABLE_TYPES: ReadonlySet<string> = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * What the site's number policy says of a destination: nothing when it may be called, else the problem to
 * answer. Premium, shared-cost, toll-free, UAN, voicemail, pager, personal and VoIP numbers are all outside
 * the callable types.
 */
export function numberPolicyProblem(site: SiteConfig, destination: Destination): HttpProblem | undefined {
  if (!destination.type || !CALLABLE_TYPES.has(destination.type) || !destination.country) {
    return new HttpProblem(422, 'unsupported_number_type', undefined, { numberType: destination.type ?? 'UNKNOWN' });
  }
  if (site.countries && !site.countries.includes(destination.country)) {
    return new HttpProblem(422, 'country_not_allowed', undefined, { country: destination.country });
  }
  if (HIGH_RISK_COUNTRIES.has(destination.country) && !site.allowHighRiskCountries?.includes(destination.country)) {
    return new HttpProblem(422, 'country_not_allowed', 'Calls to this destination are not enabled for this site.', {
      country: destination.country,
    });
  }
  return undefined;
}
