import type { AuditCategory, AuditOutcome, AuditRecord } from './AuditEvent.js';

const dcm = 'http://dicom.nema.org/resources/ontology/DCM';

/** DICOM audit event IDs (PS3.15 A.5.3 / DICOM CID 400) for each category. */
export const auditEventCodes: Record<AuditCategory, { code: string; display: string }> = {
  'patient-record': { code: '110110', display: 'Patient Record' },
  'instances-accessed': { code: '110103', display: 'DICOM Instances Accessed' },
  query: { code: '110112', display: 'Query' },
  authentication: { code: '110114', display: 'User Authentication' },
  'security-alert': { code: '110113', display: 'Security Alert' },
  export: { code: '110106', display: 'Export' },
  import: { code: '110107', display: 'Import' },
  'audit-log-used': { code: '110101', display: 'Audit Log Used' },
  'order-record': { code: '110109', display: 'Order Record' },
  report: { code: '110110', display: 'Patient Record' },
};

/** RFC 3881 / FHIR AuditEvent.outcome: 0 success, 4 minor failure (denied), 8 serious failure. */
export function outcomeCode(outcome: AuditOutcome): '0' | '4' | '8' {
  return outcome === 'success' ? '0' : outcome === 'denied' ? '4' : '8';
}

/** One audit record as a FHIR R4 AuditEvent resource (http://hl7.org/fhir/R4/auditevent.html). */
export function toFhirAuditEvent(record: AuditRecord): Record<string, unknown> {
  const entity: Record<string, unknown>[] = [];
  if (record.patientId !== undefined) {
    entity.push({
      what: { identifier: { value: record.patientId } },
      type: {
        system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
        code: '1',
        display: 'Person',
      },
      role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
    });
  }
  if (record.studyInstanceUID !== undefined) {
    entity.push({
      what: { identifier: { system: 'urn:dicom:uid', value: `urn:oid:${record.studyInstanceUID}` } },
      type: {
        system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
        code: '2',
        display: 'System Object',
      },
      role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '3', display: 'Report' },
    });
  }
  const event = auditEventCodes[record.category];
  return {
    resourceType: 'AuditEvent',
    id: record.id,
    type: { system: dcm, code: event.code, display: event.display },
    subtype: [{ system: 'urn:pacskit:audit', code: record.type }],
    action: record.action,
    recorded: new Date(record.recordedAt).toISOString(),
    outcome: outcomeCode(record.outcome),
    agent: [
      {
        who: { identifier: { value: record.actor } },
        requestor: true,
        ...(record.actorRoles?.length ? { role: record.actorRoles.map((text) => ({ text })) } : {}),
        ...(record.sourceAddress !== undefined
          ? { network: { address: record.sourceAddress, type: '2' } }
          : {}),
      },
    ],
    source: { observer: { display: 'PacsKit archive' } },
    ...(entity.length ? { entity } : {}),
    extension: [
      { url: 'urn:pacskit:audit:seq', valueInteger: record.seq },
      { url: 'urn:pacskit:audit:hash', valueString: record.hash },
    ],
  };
}
