/** Query keys of the workflow reads; mutations invalidate by these prefixes. */
export const workflowQueryKeys = {
  all: ['pacskit-workflow'] as const,
  worklist: (query: object) => ['pacskit-workflow', 'worklist', query] as const,
  worklistAll: ['pacskit-workflow', 'worklist'] as const,
  orders: (query: object) => ['pacskit-workflow', 'orders', query] as const,
  ordersAll: ['pacskit-workflow', 'orders'] as const,
  orderHistory: (orderId: string) => ['pacskit-workflow', 'orders', 'history', orderId] as const,
  reports: (studyInstanceUID: string) => ['pacskit-workflow', 'reports', studyInstanceUID] as const,
  reportsAll: ['pacskit-workflow', 'reports'] as const,
  templates: (modality: string) => ['pacskit-workflow', 'templates', modality] as const,
  annotations: (studyInstanceUID: string) => ['pacskit-workflow', 'annotations', studyInstanceUID] as const,
  accessGrants: (query: object) => ['pacskit-workflow', 'accessGrants', query] as const,
  accessGrantsAll: ['pacskit-workflow', 'accessGrants'] as const,
  shareLinks: (studyInstanceUID: string) => ['pacskit-workflow', 'shareLinks', studyInstanceUID] as const,
  auditEvents: (query: object) => ['pacskit-workflow', 'audit', query] as const,
};
