import { PatientViewer } from '../patient/PatientViewer.js';
import type { PatientPermissions } from '../patient/patientViewerContext.js';
import { usePacsI18n, usePacsScope } from '../provider/usePacs.js';
import { HostPortalProvider } from './HostPortalProvider.js';
import type { HostPortalProps } from './hostPortal.js';

export interface PatientPortalIntegrationProps extends HostPortalProps {
  /** What the patient's grant allows beyond viewing (download, share with a doctor). */
  grant?: PatientPermissions;
  /** Whether the patient already consented in the host portal (skips the consent step). */
  consented?: boolean;
  onConsentedChange?: (consented: boolean) => void;
}

/**
 * The patient viewer for a patient portal: the host's signed-in patient, token provider and
 * permissions in; their own studies out (the archive enforces the patient scope too).
 */
export function PatientPortalIntegration(props: PatientPortalIntegrationProps) {
  return (
    <HostPortalProvider host={props}>
      <PatientPortal {...props} />
    </HostPortalProvider>
  );
}

function PatientPortal({
  user,
  permissions,
  grant,
  consented,
  onConsentedChange,
}: PatientPortalIntegrationProps) {
  const { t } = usePacsI18n();
  const scope = usePacsScope();
  if (!permissions.includes('radiology:view') || !user.patientId) {
    return (
      <div {...scope} role="alert" className={`${scope.className} pacs-state`} data-state="error">
        {t('integration.notAllowed', { permission: 'radiology:view' })}
      </div>
    );
  }
  return (
    <PatientViewer.Root
      patientID={user.patientId}
      permissions={grant ?? {}}
      {...(consented === undefined ? {} : { consented })}
      {...(onConsentedChange ? { onConsentedChange } : {})}
    />
  );
}
