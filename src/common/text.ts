const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The first `max` characters as a reader counts them (grapheme clusters: an emoji, a flag or a
 * letter with its accents is never split), with any lone surrogate replaced, so that the result
 * always encodes.
 */
export function cutText(text: string, max: number): string {
  const whole = text.replace(LONE_SURROGATE, '\ufffd');
  let out = '';
  let count = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
    whole,
  )) {
    if (++count > max) break;
    out += segment;
  }
  return out;
}
