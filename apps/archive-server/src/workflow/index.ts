export { createWorkflow } from './createWorkflow.js';
export type { StoredInstanceEvent, Workflow, WorkflowConfig, WorkflowOptions } from './createWorkflow.js';
export { createAccessionNumberFormat } from './accessionNumber.js';
export type { AccessionNumberFormat } from './accessionNumber.js';
export { isOrderStatus, orderPath, orderStatuses } from './orderStatus.js';
export type { OrderStatus } from './orderStatus.js';
export { createOrderService } from './createOrderService.js';
export type { CreateOrderInput, MppsStatus, OrderService } from './createOrderService.js';
export { createReportService, renderTemplate } from './createReportService.js';
export type { ReportService, Signer } from './createReportService.js';
export { basicTextSrSopClassUID, buildBasicTextSr } from './basicTextSr.js';
export { buildMeasurementReportSr, comprehensiveSrSopClassUID } from './measurementReportSr.js';
export type { SrStudyContext } from './srDocument.js';
export { toWorklistDataset } from './ScheduledProcedureStepSink.js';
export type { ScheduledProcedureStep, ScheduledProcedureStepSink } from './ScheduledProcedureStepSink.js';
export { createWebhookDispatcher } from './createWebhookDispatcher.js';
export type { WebhookDispatcher, WebhookDispatcherOptions } from './createWebhookDispatcher.js';
export { createLatencyRecorder } from './createLatencyRecorder.js';
export type { LatencyKind, LatencyRecorder, LatencySummary } from './createLatencyRecorder.js';
export { createUid } from './createUid.js';
export { SqliteWorkflowStore } from './sqlite/SqliteWorkflowStore.js';
export type { IngestTotals, OrderFilter, WorkflowStore } from './WorkflowStore.js';
export { annotationKinds, reportStatuses, webhookEvents } from './WorkflowRecords.js';
export type {
  AnnotationKind,
  AnnotationRecord,
  IngestStatRecord,
  OrderHistoryEntry,
  OrderRecord,
  ReportContent,
  ReportRecord,
  ReportStatus,
  ReportTemplateRecord,
  ReportVersionRecord,
  Urgency,
  WebhookDeliveryRecord,
  WebhookEvent,
  WebhookSubscriptionRecord,
} from './WorkflowRecords.js';
export { createHl7Interface } from './hl7/createHl7Interface.js';
export type { Hl7Interface, Hl7InterfaceOptions } from './hl7/createHl7Interface.js';
export { buildEr7, component as er7Component, parseEr7, segment as er7Segment } from './hl7/er7.js';
export type { Er7Delimiters, Er7Message } from './hl7/er7.js';
export { MllpDecoder, frameMllp } from './hl7/mllp.js';
