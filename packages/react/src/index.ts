export { PacsProvider } from './provider/PacsProvider.js';
export type { PacsProviderProps } from './provider/PacsProvider.js';
export type { ImageIdOptions, PacsBrand, PacsContextValue, PacsThemeMode } from './provider/pacsContext.js';
export { isFederatedClient, sourceIdsOf } from './provider/pacsClient.js';
export type { PacsClient, PacsSourceStatus } from './provider/pacsClient.js';
export { usePacsClient, usePacsI18n, usePacsScope } from './provider/usePacs.js';

export { pacsQueryKeys } from './hooks/pacsQueryKeys.js';
export { toStudyQueryKeys } from './hooks/studySearchQuery.js';
export type { StudySearchQuery } from './hooks/studySearchQuery.js';
export { useStudySearch } from './hooks/useStudySearch.js';
export type { UseStudySearchOptions } from './hooks/useStudySearch.js';
export { useStudy } from './hooks/useStudy.js';
export { useSeries } from './hooks/useSeries.js';
export { useInstances } from './hooks/useInstances.js';
export { useThumbnail } from './hooks/useThumbnail.js';
export type { ThumbnailTarget } from './hooks/useThumbnail.js';
export { useDeleteStudy, useInvalidatePacs, useStoreInstances } from './hooks/usePacsMutations.js';

export { useSourcesHealth } from './hooks/useSourcesHealth.js';
export type { UseSourcesHealthOptions } from './hooks/useSourcesHealth.js';
export { useViewerSeries } from './hooks/useViewerSeries.js';
export { useViewerAnnotations } from './hooks/useViewerAnnotations.js';

export { PacsErrorBoundary } from './common/PacsErrorBoundary.js';
export type { PacsErrorBoundaryProps } from './common/PacsErrorBoundary.js';
export { EmptyState, ErrorState, LoadingState } from './common/StatusMessage.js';
export type { EmptyStateProps, ErrorStateProps, LoadingStateProps } from './common/StatusMessage.js';

export { messagesEn } from './i18n/messagesEn.js';
export type { MessageKey, Messages } from './i18n/messagesEn.js';
export { messagesFr } from './i18n/messagesFr.js';
export { builtInMessages, createTranslate, resolveMessages } from './i18n/translate.js';
export type { Translate } from './i18n/translate.js';
export { pacsStyles } from './theme/pacsStyles.js';

export { ProviderDashboard } from './dashboard/ProviderDashboard.js';
export type { ProviderDashboardProps } from './dashboard/ProviderDashboard.js';
export {
  StudyList,
  StudyListBody,
  StudyListCount,
  StudyListGrid,
  StudyListHeader,
  StudyListRoot,
  StudyListRow,
} from './dashboard/StudyList.js';
export type { StudyListGridProps, StudyListRootProps, StudyListRowProps } from './dashboard/StudyList.js';
export { sortStudies, studyColumns } from './dashboard/studyColumns.js';
export type { StudyColumn, StudyColumnId, StudySort } from './dashboard/studyColumns.js';
export {
  StudySearch,
  StudySearchActions,
  StudySearchDate,
  StudySearchModality,
  StudySearchRoot,
  StudySearchSource,
  StudySearchText,
  defaultModalities,
} from './dashboard/StudySearch.js';
export type {
  StudySearchDateProps,
  StudySearchModalityProps,
  StudySearchRootProps,
  StudySearchTextProps,
} from './dashboard/StudySearch.js';
export {
  StudyDetail,
  StudyDetailHeader,
  StudyDetailOpenViewer,
  StudyDetailRoot,
  StudyDetailSeriesList,
  StudyDetailViewer,
} from './dashboard/StudyDetail.js';
export type { StudyDetailRootProps } from './dashboard/StudyDetail.js';
export { SourcesPanel } from './dashboard/SourcesPanel.js';
export type { SourcesPanelProps } from './dashboard/SourcesPanel.js';
export { LazyDicomViewer } from './viewer/LazyDicomViewer.js';
export type { LazyDicomViewerProps } from './viewer/LazyDicomViewer.js';

export {
  PatientViewer,
  PatientViewerConsent,
  PatientViewerRoot,
} from './patient/PatientViewer.js';
export type { PatientViewerRootProps } from './patient/PatientViewer.js';
export { PatientTimeline } from './patient/PatientTimeline.js';
export {
  PatientExplanations,
  PatientImages,
  PatientReport,
  PatientStudyView,
} from './patient/PatientStudyView.js';
export { PatientDownload } from './patient/PatientDownload.js';
export type { PatientDownloadProps } from './patient/PatientDownload.js';
export { PatientShare } from './patient/PatientShare.js';
export type { PatientPermissions } from './patient/patientViewerContext.js';
export {
  builtInExplanations,
  explanationsEn,
  explanationsFor,
  explanationsFr,
} from './patient/explanations.js';
export type {
  Explanation,
  ExplanationCatalogue,
  ExplanationSubject,
  TermExplanation,
} from './patient/explanations.js';
export { createStudyArchive } from './patient/studyDownload.js';
export type { StudyDownloadFormat } from './patient/studyDownload.js';

export type { PacsWorkflowClient } from './workflow/pacsWorkflowClient.js';
export { useWorkflowClient } from './workflow/useWorkflowClient.js';
export { workflowQueryKeys } from './workflow/workflowQueryKeys.js';
export { useWorklist } from './workflow/useWorklist.js';
export type { WorklistQuery } from './workflow/useWorklist.js';
export {
  useCancelOrder,
  useCreateOrder,
  useOrderHistory,
  useOrders,
  useSetOrderStatus,
} from './workflow/useOrders.js';
export { useReportMutation, useReportTemplates, useReports } from './workflow/useReports.js';
export type { ReportAction } from './workflow/useReports.js';
export { useAnnotations, useSaveAnnotation, useDeleteAnnotation } from './workflow/useAnnotations.js';
export { useAccessGrants, useRevokeAccessGrant } from './workflow/useAccessGrants.js';
export type { AccessGrantsQuery } from './workflow/useAccessGrants.js';
export { useCreateShareLink, useRevokeShareLink, useShareLinks } from './workflow/useShareLinks.js';
export type { CreateShareLinkVariables } from './workflow/useShareLinks.js';
export { useAuditEvents } from './workflow/useAuditEvents.js';

export { Worklist, WorklistFiltersBar, WorklistGrid, WorklistRoot } from './workflow/Worklist.js';
export type { WorklistFilters, WorklistRootProps } from './workflow/Worklist.js';
export { OrderCreateForm, OrderDetail, OrderHistory, OrderManagement } from './workflow/OrderManagement.js';
export type {
  OrderCreateFormProps,
  OrderDetailProps,
  OrderHistoryProps,
} from './workflow/OrderManagement.js';
export { ReportEditor } from './workflow/ReportEditor.js';
export type { ReportEditorProps } from './workflow/ReportEditor.js';
export { VirtualGrid, sortRows } from './internal/VirtualGrid.js';
export type { VirtualGridColumn, VirtualGridProps, VirtualGridSort } from './internal/VirtualGrid.js';

export { ProviderPanelIntegration } from './integrations/ProviderPanelIntegration.js';
export type {
  ProviderPanelIntegrationProps,
  ProviderPanelTab,
} from './integrations/ProviderPanelIntegration.js';
export { PatientPortalIntegration } from './integrations/PatientPortalIntegration.js';
export type { PatientPortalIntegrationProps } from './integrations/PatientPortalIntegration.js';
export type { HostPortalProps, HostUser, RadiologyPermission } from './integrations/hostPortal.js';
