import type { FormMessages } from './messages.js';

/** English words of the number form as it first renders: the element's own file carries them (see en.ts). */
export const enForm: FormMessages = {
  dir: 'ltr',
  label: 'Phone verification',
  phoneLabel: 'Phone number',
  countryButton: 'Country: {country} {dialCode}',
  countrySearch: 'Search countries',
  countryList: 'Countries',
  noCountryMatch: 'No country matches.',
  verify: 'Verify',
  how: 'We’ll call this number. No need to answer: the last digits of the number calling you are your code.',
  phoneEmpty: 'Enter your phone number.',
  phoneTooShort: 'This number is too short.',
  phoneTooLong: 'This number is too long.',
  phoneInvalid: 'This doesn’t look like a valid number for {country}.',
  required: 'Verify your phone number to continue.',
  errors: {
    country_not_allowed: 'Numbers from this country can’t be used here.',
    network: 'Can’t reach the verification service. Check your connection and try again.',
  },
};
