import type { PacsError } from '@pacskit/dicom';
import { useMutation } from '@tanstack/react-query';
import { ErrorState } from '../common/StatusMessage.js';
import { usePartContext } from '../internal/createPartContext.js';
import { usePacsClient, usePacsI18n } from '../provider/usePacs.js';
import { PatientViewerContext } from './patientViewerContext.js';
import { createStudyArchive, type StudyDownloadFormat, saveFile } from './studyDownload.js';

export interface PatientDownloadProps {
  /** Receives the finished archive instead of the browser download (tests, native apps). */
  onDownload?: (file: { data: Uint8Array; fileName: string; format: StudyDownloadFormat }) => void;
}

/** Download the open study as a ZIP of DICOM files or of JPEG pictures, when the grant allows. */
export function PatientDownload({ onDownload }: PatientDownloadProps) {
  const { selected, permissions } = usePartContext(PatientViewerContext, 'PatientViewer.Download');
  const client = usePacsClient();
  const { t } = usePacsI18n();
  const download = useMutation<void, PacsError, StudyDownloadFormat>({
    mutationFn: async (format) => {
      const data = await createStudyArchive(client, selected!, format);
      const fileName = `study-${format}.zip`;
      if (onDownload) onDownload({ data, fileName, format });
      else saveFile(data, fileName, 'application/zip');
    },
  });
  if (!permissions.download || !selected) return null;
  const busy = download.isPending;
  return (
    <section className="pacs-card pacs-stack" aria-label={t('patient.download')} aria-busy={busy}>
      <h3 className="pacs-heading">{t('patient.download')}</h3>
      <div className="pacs-actions">
        <button type="button" className="pacs-button" disabled={busy} onClick={() => download.mutate('jpeg')}>
          {t('patient.downloadJpeg')}
        </button>
        <button
          type="button"
          className="pacs-button"
          data-variant="secondary"
          disabled={busy}
          onClick={() => download.mutate('dicom')}
        >
          {t('patient.downloadZip')}
        </button>
      </div>
      {download.isError ? <ErrorState error={download.error} onRetry={() => download.reset()} /> : null}
    </section>
  );
}
