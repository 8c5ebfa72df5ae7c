export { PacsProvider } from './provider/PacsProvider.js';
export type { PacsProviderProps } from './provider/PacsProvider.js';
export type { PacsBrand, PacsContextValue, PacsThemeMode } from './provider/pacsContext.js';
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

export { EmptyState, ErrorState, LoadingState } from './common/StatusMessage.js';
export type { EmptyStateProps, ErrorStateProps, LoadingStateProps } from './common/StatusMessage.js';

export { messagesEn } from './i18n/messagesEn.js';
export type { MessageKey, Messages } from './i18n/messagesEn.js';
export { messagesFr } from './i18n/messagesFr.js';
export { builtInMessages, createTranslate, resolveMessages } from './i18n/translate.js';
export type { Translate } from './i18n/translate.js';
export { pacsStyles } from './theme/pacsStyles.js';
