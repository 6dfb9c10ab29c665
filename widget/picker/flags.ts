/**
 * Flags where the platform draws none. Flags are emoji (regional indicator pairs); Windows shows their two
 * letters and Linux without a colour emoji font shows boxes. There, and only there, a font of flags is
 * declared on the document (a shadow root's @font-face is not honoured), for the `.flag` spans, which name
 * its family first. The browser fetches it only when a flag is drawn. Travels with the popup's chunk: the
 * picker's button draws no flag until this check has run (see CountryPicker.render).
 */

/** The family the `.flag` rules name first (country-popup-styles.ts). */
export const FLAG_FONT_FAMILY = 'Fcv Country Flags';

/** Regional indicators and the tag sequences of England, Scotland and Wales. */
const FLAG_RANGE = 'U+1F1E6-1F1FF, U+1F3F4, U+E0061-E007F';

// Twemoji Country Flags (see assets/README.md for its origin and licences): about 78 KB, flags only, served
// beside the chunks and, in the package's modules, beside this one. Never inlined: most pages never fetch it.
const FONT_URL = new URL('./assets/TwemojiCountryFlags.woff2?no-inline', import.meta.url);

const EMOJI_FONTS = '"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji","Twemoji Mozilla","EmojiOne Color",sans-serif';

/**
 * Whether `emoji` is drawn in colour in `fonts` (a CSS font-family list): a colour glyph ignores the fill
 * colour, so drawn once in white and once in black its first pixel comes out the same, and not empty.
 * Letters and boxes follow the fill. (A browser that blurs canvas reads against fingerprinting gets the font.)
 */
export function drawsInColour(emoji: string, fonts = EMOJI_FONTS): boolean {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return true;
  context.textBaseline = 'top';
  context.font = `100px ${fonts}`;
  context.scale(0.01, 0.01);
  const pixel = (colour: string) => {
    context.clearRect(0, 0, 100, 100);
    context.fillStyle = colour;
    context.fillText(emoji, 0, 0);
    return context.getImageData(0, 0, 1, 1).data.join(',');
  };
  const white = pixel('#fff');
  const black = pixel('#000');
  return white === black && !black.startsWith('0,0,0,');
}

let supplied: boolean | undefined;

/**
 * Declares the flag font on the document once, if the platform draws no flags (the Swiss flag: red at its
 * corner). Answers whether it did.
 */
export function supplyFlags(): boolean {
  if (supplied !== undefined) return supplied;
  supplied = false;
  if (typeof FontFace === 'undefined' || drawsInColour('\u{1F1E8}\u{1F1ED}')) return supplied;
  // While it loads, a flag is blank in its place rather than the boxes or letters it stands in for.
  const face = new FontFace(FLAG_FONT_FAMILY, `url("${FONT_URL.href}") format("woff2")`, { unicodeRange: FLAG_RANGE, display: 'block' });
  document.fonts.add(face);
  supplied = true;
  return supplied;
}
