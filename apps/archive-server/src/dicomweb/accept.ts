import { parseContentType } from './multipartRelated.js';

/** One media range of an Accept header (RFC 9110 12.5.1) with its parameters (PS3.18 8.7.3). */
export interface MediaRange {
  mediaType: string;
  parameters: Record<string, string>;
  quality: number;
}

/** Splits an Accept header on commas that are not inside quoted strings. */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || header.trim() === '') return [{ mediaType: '*/*', parameters: {}, quality: 1 }];
  const ranges: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      ranges.push(current);
      current = '';
    } else current += c;
  }
  ranges.push(current);
  return ranges
    .map((range) => {
      const { mediaType, parameters } = parseContentType(range);
      const quality = parameters.q === undefined ? 1 : Number(parameters.q);
      return { mediaType, parameters, quality: Number.isFinite(quality) ? quality : 0 };
    })
    .filter((r) => r.mediaType !== '' && r.quality > 0)
    .sort((a, b) => b.quality - a.quality);
}

export function mediaTypeMatches(range: string, mediaType: string): boolean {
  if (range === '*/*' || range === mediaType) return true;
  return range.endsWith('/*') && mediaType.startsWith(range.slice(0, -1));
}
