export interface BuildViewerUrlOptions {
  /**
   * The viewer page. With `{StudyInstanceUID}`, `{SeriesInstanceUID}` or `{SOPInstanceUID}`
   * placeholders it is a template; otherwise the UIDs go in the query as OHIF v3 reads them
   * (`?StudyInstanceUIDs=…&SeriesInstanceUIDs=…`).
   */
  viewerUrl: string;
  studyInstanceUID: string;
  seriesInstanceUID?: string;
  sopInstanceUID?: string;
  /** Extra query parameters (a data source name, a share token, …). */
  query?: Record<string, string>;
}

/** A link to a viewer page for portals that open a viewer rather than embedding one. */
export function buildViewerUrl(options: BuildViewerUrlOptions): string {
  const values: Record<string, string | undefined> = {
    StudyInstanceUID: options.studyInstanceUID,
    SeriesInstanceUID: options.seriesInstanceUID,
    SOPInstanceUID: options.sopInstanceUID,
  };
  const templated = /\{(StudyInstanceUID|SeriesInstanceUID|SOPInstanceUID)\}/.test(options.viewerUrl);
  let url = options.viewerUrl.replace(
    /\{(StudyInstanceUID|SeriesInstanceUID|SOPInstanceUID)\}/g,
    (_, name: string) => encodeURIComponent(values[name] ?? ''),
  );
  const query = new URLSearchParams();
  if (!templated) {
    query.set('StudyInstanceUIDs', options.studyInstanceUID);
    if (options.seriesInstanceUID) query.set('SeriesInstanceUIDs', options.seriesInstanceUID);
    if (options.sopInstanceUID) query.set('SOPInstanceUIDs', options.sopInstanceUID);
  }
  for (const [name, value] of Object.entries(options.query ?? {})) query.set(name, value);
  const search = query.toString();
  if (search !== '') url += `${url.includes('?') ? '&' : '?'}${search}`;
  return url;
}
