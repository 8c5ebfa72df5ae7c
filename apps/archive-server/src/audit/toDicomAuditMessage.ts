import type { AuditRecord } from './AuditEvent.js';
import { auditEventCodes, outcomeCode } from './toFhirAuditEvent.js';

function xml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * One audit record as a DICOM audit message (PS3.15 A.5.1, the RFC 3881-derived XML schema):
 * EventIdentification, the requesting ActiveParticipant, AuditSourceIdentification, and the
 * patient (RFC 3881 type 1/role 1) and study (type 2/role 3, DCM 110180) participant objects.
 */
export function toDicomAuditMessage(record: AuditRecord, auditSourceId = 'PACSKIT'): string {
  const event = auditEventCodes[record.category];
  const lines = [
    '<AuditMessage>',
    `  <EventIdentification EventActionCode="${record.action}" EventDateTime="${new Date(record.recordedAt).toISOString()}" EventOutcomeIndicator="${outcomeCode(record.outcome)}">`,
    `    <EventID csd-code="${event.code}" codeSystemName="DCM" originalText="${event.display}"/>`,
    '  </EventIdentification>',
    `  <ActiveParticipant UserID="${xml(record.actor)}" UserIsRequestor="true"${
      record.sourceAddress !== undefined
        ? ` NetworkAccessPointID="${xml(record.sourceAddress)}" NetworkAccessPointTypeCode="2"`
        : ''
    }/>`,
    `  <AuditSourceIdentification AuditSourceID="${xml(auditSourceId)}"/>`,
  ];
  if (record.patientId !== undefined) {
    lines.push(
      `  <ParticipantObjectIdentification ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1" ParticipantObjectID="${xml(record.patientId)}">`,
      '    <ParticipantObjectIDTypeCode csd-code="2" codeSystemName="RFC-3881" originalText="Patient Number"/>',
      '  </ParticipantObjectIdentification>',
    );
  }
  if (record.studyInstanceUID !== undefined) {
    lines.push(
      `  <ParticipantObjectIdentification ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="3" ParticipantObjectID="${xml(record.studyInstanceUID)}">`,
      '    <ParticipantObjectIDTypeCode csd-code="110180" codeSystemName="DCM" originalText="Study Instance UID"/>',
      '  </ParticipantObjectIdentification>',
    );
  }
  lines.push('</AuditMessage>');
  return lines.join('\n');
}
