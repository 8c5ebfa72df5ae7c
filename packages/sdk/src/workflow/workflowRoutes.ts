/**
 * Every route the workflow client calls, as `METHOD /api/v1/path/{param}` in the OpenAPI
 * document's path syntax. `missingWorkflowRoutes` compares it with the archive's OpenAPI document
 * (`GET /api/openapi.json`), so that a renamed or removed route fails a test instead of a portal.
 */
export const workflowRoutes = [
  'GET /api/v1/orders',
  'POST /api/v1/orders',
  'GET /api/v1/orders/{orderId}',
  'GET /api/v1/orders/{orderId}/history',
  'POST /api/v1/orders/{orderId}/status',
  'GET /api/v1/reports',
  'POST /api/v1/reports',
  'GET /api/v1/reports/{reportId}',
  'PATCH /api/v1/reports/{reportId}',
  'GET /api/v1/reports/{reportId}/versions',
  'POST /api/v1/reports/{reportId}/sign',
  'POST /api/v1/reports/{reportId}/amend',
  'GET /api/v1/report-templates',
  'POST /api/v1/report-templates',
  'GET /api/v1/annotations',
  'POST /api/v1/annotations',
  'DELETE /api/v1/annotations/{annotationId}',
  'GET /api/v1/access-grants',
  'POST /api/v1/access-grants',
  'DELETE /api/v1/access-grants/{grantId}',
  'GET /api/v1/share-links',
  'POST /api/v1/share-links',
  'DELETE /api/v1/share-links/{shareLinkId}',
  'POST /api/v1/share-links/open',
  'GET /api/v1/audit',
  'GET /api/v1/analytics',
] as const;

/** The client's routes an OpenAPI 3 document does not declare (parameter names are ignored). */
export function missingWorkflowRoutes(document: {
  paths?: Record<string, Record<string, unknown>>;
}): string[] {
  const declared = new Set<string>();
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(operations)) declared.add(`${method.toUpperCase()} ${shape(path)}`);
  }
  return workflowRoutes.filter((route) => {
    const [method, path] = route.split(' ') as [string, string];
    return !declared.has(`${method} ${shape(path)}`);
  });
}

function shape(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}');
}
