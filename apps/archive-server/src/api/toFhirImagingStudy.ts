import type { DicomJsonDataset } from '@pacskit/dicom';

const dcm = 'http://dicom.nema.org/resources/ontology/DCM';

function str(dataset: DicomJsonDataset, tag: string): string | undefined {
  const v = dataset[tag]?.Value?.[0];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(dataset: DicomJsonDataset, tag: string): number | undefined {
  const v = dataset[tag]?.Value?.[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** DA + TM → FHIR dateTime (no zone: DICOM local time; PS3.5 6.2). */
function started(date: string | undefined, time: string | undefined): string | undefined {
  if (!date || !/^\d{8}$/.test(date)) return undefined;
  const day = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
  if (!time || !/^\d{4}/.test(time)) return day;
  return `${day}T${time.slice(0, 2)}:${time.slice(2, 4)}:${/^\d{6}/.test(time) ? time.slice(4, 6) : '00'}`;
}

/**
 * A FHIR R4 ImagingStudy (http://hl7.org/fhir/R4/imagingstudy.html) from QIDO-RS study and series
 * attributes. The resource id is the Study Instance UID (valid FHIR id: digits and dots, ≤ 64).
 * Until @pacskit/dicom ships its shared mapping, this is the archive's own minimal one.
 */
export function toFhirImagingStudy(
  study: DicomJsonDataset,
  series: DicomJsonDataset[],
): Record<string, unknown> {
  const uid = str(study, '0020000D') ?? '';
  const accession = str(study, '00080050');
  const patientId = str(study, '00100020');
  const modalities = [
    ...new Set([
      ...((study['00080061']?.Value ?? []) as string[]),
      ...series.map((s) => str(s, '00080060')).filter((m): m is string => m !== undefined),
    ]),
  ];
  return {
    resourceType: 'ImagingStudy',
    id: uid,
    identifier: [
      { system: 'urn:dicom:uid', value: `urn:oid:${uid}` },
      ...(accession
        ? [
            {
              type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] },
              value: accession,
            },
          ]
        : []),
    ],
    status: 'available',
    ...(modalities.length ? { modality: modalities.map((code) => ({ system: dcm, code })) } : {}),
    subject: patientId ? { identifier: { value: patientId } } : { display: 'unknown' },
    ...(started(str(study, '00080020'), str(study, '00080030'))
      ? { started: started(str(study, '00080020'), str(study, '00080030')) }
      : {}),
    ...(num(study, '00201206') !== undefined ? { numberOfSeries: num(study, '00201206') } : {}),
    ...(num(study, '00201208') !== undefined ? { numberOfInstances: num(study, '00201208') } : {}),
    ...(str(study, '00081030') ? { description: str(study, '00081030') } : {}),
    ...(series.length
      ? {
          series: series.map((s) => ({
            uid: str(s, '0020000E') ?? '',
            ...(num(s, '00200011') !== undefined ? { number: num(s, '00200011') } : {}),
            modality: { system: dcm, code: str(s, '00080060') ?? 'OT' },
            ...(str(s, '0008103E') ? { description: str(s, '0008103E') } : {}),
            ...(num(s, '00201209') !== undefined ? { numberOfInstances: num(s, '00201209') } : {}),
          })),
        }
      : {}),
  };
}
