import type { WorkflowClient } from '@pacskit/sdk';

/**
 * The workflow client the components use: the SDK's `WorkflowClient` (createWorkflowClient, the
 * archive's /api/v1), with every group optional so a host can hand over a partial backend. A
 * component whose group is missing shows `NOT_SUPPORTED`.
 */
export type PacsWorkflowClient = { [Group in keyof WorkflowClient]?: WorkflowClient[Group] };
