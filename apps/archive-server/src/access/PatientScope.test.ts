import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PatientScope, applyPatientScope, isStudyVisible } from './PatientScope.js';

const patientScope: PatientScope = { patientIds: ['P1'], accessTypes: ['view'] };
const studyScope: PatientScope = {
  patientIds: [],
  studyInstanceUIDs: ['1.2.3', '1.2.4'],
  accessTypes: ['view'],
};

describe('isStudyVisible', () => {
  it('shows a scoped principal only its patients and granted studies', () => {
    expect(isStudyVisible({ allStudies: true }, { PatientID: 'anyone' })).toBe(true);
    expect(isStudyVisible(patientScope, { PatientID: 'P1', StudyInstanceUID: '9.9' })).toBe(true);
    expect(isStudyVisible(patientScope, { PatientID: 'P2', StudyInstanceUID: '9.9' })).toBe(false);
    expect(isStudyVisible(patientScope, {})).toBe(false);
    expect(isStudyVisible(studyScope, { PatientID: 'P2', StudyInstanceUID: '1.2.3' })).toBe(true);
    expect(isStudyVisible(studyScope, { PatientID: 'P1', StudyInstanceUID: '1.2.5' })).toBe(false);
    expect(isStudyVisible(patientScope, { '00100020': { vr: 'LO', Value: ['P1'] } })).toBe(true);
    expect(isStudyVisible(patientScope, { '00100020': { vr: 'LO', Value: ['P1x'] } })).toBe(false);
  });
});

describe('applyPatientScope', () => {
  it('narrows queries to the scope and answers undefined when nothing can be visible', () => {
    expect(applyPatientScope(patientScope, {})).toEqual({ match: { PatientID: 'P1' } });
    expect(applyPatientScope(patientScope, { match: { PatientID: 'P2' } })).toBeUndefined();
    expect(applyPatientScope(patientScope, { match: { PatientID: 'P*' } })).toEqual({
      match: { PatientID: 'P*' },
    });
    const paged: { limit: number; match?: Record<string, string> } = { limit: 5 };
    expect(applyPatientScope(studyScope, paged)).toEqual({
      limit: 5,
      match: { StudyInstanceUID: '1.2.3\\1.2.4' },
    });
    expect(applyPatientScope(studyScope, { match: { StudyInstanceUID: '1.2.9' } })).toBeUndefined();
    expect(applyPatientScope(studyScope, { match: { '0020000D': '1.2.9\\1.2.4' } })).toEqual({
      match: { '0020000D': '1.2.4' },
    });
    expect(applyPatientScope({ patientIds: [], accessTypes: [] }, {})).toBeUndefined();
    const all = { match: { PatientID: 'X' } };
    expect(applyPatientScope({ allStudies: true }, all)).toBe(all);
  });

  it('never lets through a study UID outside a study-only scope (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[12]\.[0-9]{1,3}$/), { maxLength: 4 }),
        fc.array(fc.stringMatching(/^[12]\.[0-9]{1,3}$/), { minLength: 1, maxLength: 4 }),
        (granted, asked) => {
          const scope: PatientScope = { patientIds: [], studyInstanceUIDs: granted, accessTypes: ['view'] };
          const narrowed = applyPatientScope(scope, { match: { StudyInstanceUID: asked.join('\\') } });
          const allowed = asked.filter((uid) => granted.includes(uid));
          if (allowed.length === 0) expect(narrowed).toBeUndefined();
          else expect(narrowed?.match?.StudyInstanceUID?.split('\\')).toEqual(allowed);
        },
      ),
    );
  });
});
