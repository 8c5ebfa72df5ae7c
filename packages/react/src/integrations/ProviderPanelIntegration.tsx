import { type KeyboardEvent, useId, useState } from 'react';
import { ProviderDashboard } from '../dashboard/ProviderDashboard.js';
import type { MessageKey } from '../i18n/messagesEn.js';
import { usePacsI18n, usePacsScope } from '../provider/usePacs.js';
import { OrderCreateForm, OrderDetail } from '../workflow/OrderManagement.js';
import { ReportEditor } from '../workflow/ReportEditor.js';
import { Worklist } from '../workflow/Worklist.js';
import { HostPortalProvider } from './HostPortalProvider.js';
import type { HostPortalProps } from './hostPortal.js';

export interface ProviderPanelIntegrationProps extends HostPortalProps {
  /** The tab shown first. */
  defaultTab?: ProviderPanelTab;
}

export type ProviderPanelTab = 'studies' | 'worklist' | 'orders';

const tabLabels: Record<ProviderPanelTab, MessageKey> = {
  studies: 'studyList.label',
  worklist: 'worklist.label',
  orders: 'orders.label',
};

/**
 * The provider panel a portal drops in: its user, token provider and permissions in; studies,
 * worklist, orders and the report editor out, each shown only with the permission it needs
 * (`radiology:view`, `radiology:create`, `radiology:report`).
 */
export function ProviderPanelIntegration(props: ProviderPanelIntegrationProps) {
  return (
    <HostPortalProvider host={props}>
      <ProviderPanel {...props} />
    </HostPortalProvider>
  );
}

function ProviderPanel({ permissions, workflow, defaultTab }: ProviderPanelIntegrationProps) {
  const { t } = usePacsI18n();
  const scope = usePacsScope();
  const id = useId();
  const can = (permission: string) =>
    permissions.includes(permission) || permissions.includes('radiology:manage');
  const tabs: ProviderPanelTab[] = ['studies'];
  if (workflow) tabs.push('worklist');
  if (workflow && can('radiology:create')) tabs.push('orders');
  const [tab, setTab] = useState<ProviderPanelTab>(
    defaultTab && tabs.includes(defaultTab) ? defaultTab : 'studies',
  );
  const [study, setStudy] = useState<string | undefined>();
  const [order, setOrder] = useState<string | undefined>();
  if (!can('radiology:view')) {
    return (
      <div {...scope} role="alert" className={`${scope.className} pacs-state`} data-state="error">
        {t('integration.notAllowed', { permission: 'radiology:view' })}
      </div>
    );
  }
  function onTabKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    // WAI-ARIA APG tabs: arrows move between tabs, focus follows.
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]!;
    setTab(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  }
  return (
    <div {...scope}>
      <div role="tablist" aria-label={t('dashboard.label')} className="pacs-tabs" onKeyDown={onTabKeyDown}>
        {tabs.map((name) => (
          <button
            key={name}
            id={`${id}-tab-${name}`}
            type="button"
            role="tab"
            className="pacs-tab"
            aria-selected={tab === name}
            aria-controls={`${id}-panel`}
            tabIndex={tab === name ? 0 : -1}
            data-state={tab === name ? 'active' : 'inactive'}
            onClick={() => setTab(name)}
          >
            {t(tabLabels[name])}
          </button>
        ))}
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${tab}`}>
        {tab === 'studies' ? (
          <div className="pacs-stack">
            <ProviderDashboard {...(study ? { studyInstanceUID: study } : {})} onStudyChange={setStudy} />
            {study && workflow && can('radiology:report') ? <ReportEditor studyInstanceUID={study} /> : null}
          </div>
        ) : tab === 'worklist' ? (
          <div className="pacs-dashboard">
            <Worklist.Root {...(order ? { value: order } : {})} onValueChange={setOrder} />
            <OrderDetail orderId={order} />
          </div>
        ) : (
          <div className="pacs-dashboard">
            <OrderCreateForm onCreated={(created) => setOrder(created.id)} />
            <OrderDetail orderId={order} />
          </div>
        )}
      </div>
    </div>
  );
}
