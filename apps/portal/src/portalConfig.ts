/** What the portal needs to know about its archives; read once at start. */
export interface PortalConfig {
  /** The PacsKit archive's DICOMweb root. Same origin by default: the archive serves the portal. */
  dicomwebUrl: string;
  /** The archive's workflow API root (`/api/v1`). */
  apiUrl: string;
  /** A second archive (an Orthanc DICOMweb root) for the federated mode, if any. */
  orthancUrl?: string;
  orthancLabel?: string;
}

/**
 * Build-time settings (`VITE_PACSKIT_*`) overridden by a runtime `/portal-config.json`, so one
 * build can be pointed at another Orthanc without rebuilding.
 */
export async function loadPortalConfig(): Promise<PortalConfig> {
  const origin = window.location.origin;
  const fromBuild: PortalConfig = {
    dicomwebUrl: new URL(import.meta.env.VITE_PACSKIT_DICOMWEB_URL ?? '/dicom-web', origin).href,
    apiUrl: new URL(import.meta.env.VITE_PACSKIT_API_URL ?? '/api/v1', origin).href,
    ...(import.meta.env.VITE_PACSKIT_ORTHANC_URL
      ? { orthancUrl: import.meta.env.VITE_PACSKIT_ORTHANC_URL }
      : {}),
  };
  try {
    const response = await fetch('/portal-config.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) return fromBuild;
    const runtime = (await response.json()) as Partial<PortalConfig>;
    // The archive's demo proxies Orthanc on its own origin and names it by path.
    const orthancUrl = runtime.orthancUrl ? new URL(runtime.orthancUrl, origin).href : fromBuild.orthancUrl;
    return { ...fromBuild, ...runtime, ...(orthancUrl ? { orthancUrl } : {}) };
  } catch {
    return fromBuild;
  }
}
