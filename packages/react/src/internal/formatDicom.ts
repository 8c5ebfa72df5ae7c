/** Formats a DICOM DA value (PS3.5 6.2, YYYYMMDD) for people in the given locale; raw value if malformed. */
export function formatDicomDate(value: string | undefined, locale: string): string {
  if (!value) return '';
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim());
  if (!match) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A PN value (PS3.5 6.2.1, `Family^Given^Middle^Prefix^Suffix`) as "Given Family" for display. */
export function formatPersonName(value: string | undefined): string {
  if (!value) return '';
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = value.split('=')[0]!.split('^');
  return [prefix, given, middle, family, suffix]
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
}

/** An HTML date input value (YYYY-MM-DD) as a DICOM DA (YYYYMMDD). */
export function toDicomDate(value: string): string {
  return value.replaceAll('-', '');
}
