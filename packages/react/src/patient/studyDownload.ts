import type { PacsClient } from '../provider/pacsClient.js';
import { createZip, type ZipEntry } from '../internal/createZip.js';

export type StudyDownloadFormat = 'dicom' | 'jpeg';

/**
 * Every instance of a study as a ZIP: the DICOM Part 10 files (`dicom`), or rendered JPEGs
 * (`jpeg`, PS3.18 8.3.5 rendered resources) for people without a DICOM viewer.
 */
export async function createStudyArchive(
  client: PacsClient,
  studyInstanceUID: string,
  format: StudyDownloadFormat,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const instances = await client.searchForInstances({ studyInstanceUID, ...(signal ? { signal } : {}) });
  const entries: ZipEntry[] = [];
  for (const [index, instance] of instances.items.entries()) {
    const target = {
      studyInstanceUID,
      seriesInstanceUID: instance.SeriesInstanceUID,
      sopInstanceUID: instance.SOPInstanceUID,
      ...(signal ? { signal } : {}),
    };
    const number = String(index + 1).padStart(4, '0');
    if (format === 'dicom') {
      entries.push({ name: `DICOM/IM${number}.dcm`, data: await client.retrieveInstance(target) });
    } else {
      const image = await client.retrieveRendered({ ...target, mediaType: 'image/jpeg' });
      const extension = image.contentType.includes('png') ? 'png' : 'jpg';
      entries.push({ name: `images/image-${number}.${extension}`, data: image.data });
    }
  }
  return createZip(entries);
}

/** Hands bytes to the browser as a file download; called from a click, never at import or render. */
export function saveFile(data: Uint8Array, fileName: string, contentType: string): void {
  const url = URL.createObjectURL(new Blob([data as Uint8Array<ArrayBuffer>], { type: contentType }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
