import { getNumber, getString, getStrings } from './attributeAccessors.js';
import type { DicomJsonDataset } from './dicomJson.js';

/** FHIR R4 data types used by ImagingStudy (plain JSON, no FHIR library needed). */
export interface FhirCoding {
  system?: string;
  code?: string;
  display?: string;
}

export interface FhirIdentifier {
  system?: string;
  value: string;
  type?: { coding: FhirCoding[] };
}

export interface FhirReference {
  reference?: string;
  identifier?: FhirIdentifier;
  display?: string;
}

export interface FhirImagingStudyInstance {
  uid: string;
  sopClass: FhirCoding;
  number?: number;
  title?: string;
}

export interface FhirImagingStudySeries {
  uid: string;
  number?: number;
  modality: FhirCoding;
  description?: string;
  numberOfInstances?: number;
  endpoint?: FhirReference[];
  bodySite?: FhirCoding;
  laterality?: FhirCoding;
  started?: string;
  instance?: FhirImagingStudyInstance[];
}

/** FHIR R4 ImagingStudy (http://hl7.org/fhir/R4/imagingstudy.html), the fields PacsKit fills. */
export interface FhirImagingStudy {
  resourceType: 'ImagingStudy';
  identifier: FhirIdentifier[];
  status: 'registered' | 'available' | 'cancelled' | 'entered-in-error' | 'unknown';
  modality?: FhirCoding[];
  subject: FhirReference;
  started?: string;
  referrer?: FhirReference;
  endpoint?: FhirReference[];
  numberOfSeries?: number;
  numberOfInstances?: number;
  description?: string;
  series?: FhirImagingStudySeries[];
}

export interface ToFhirImagingStudyInput {
  /** Study-level attributes (a QIDO-RS study result or any instance of the study). */
  study: DicomJsonDataset;
  /** Series-level attributes, one data set per series. */
  series?: DicomJsonDataset[];
  /** Instance-level attributes; each is placed under its series by Series Instance UID. */
  instances?: DicomJsonDataset[];
  /** Reference to the DICOMweb Endpoint resource ("Endpoint/dicomweb"), added to study and series. */
  endpoint?: string;
  /** Reference to the Patient resource ("Patient/123"); otherwise the subject is the Patient ID. */
  patientReference?: string;
}

const dicomCodeSystem = 'http://dicom.nema.org/resources/ontology/DCM';

/** A DICOM DA (+ TM, + offset) as a FHIR dateTime; a time without a known offset is dropped (FHIR requires one). */
function fhirDateTime(
  date: string | undefined,
  time: string | undefined,
  offset: string | undefined,
): string | undefined {
  if (date === undefined || !/^\d{8}$/.test(date)) return undefined;
  const day = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
  const timeMatch = time === undefined ? null : /^(\d{2})(\d{2})?(\d{2})?(\.\d{1,6})?/.exec(time);
  const offsetMatch = offset === undefined ? null : /^([+-])(\d{2})(\d{2})$/.exec(offset);
  if (timeMatch === null || offsetMatch === null) return day;
  const fraction = timeMatch[4] === undefined ? '' : timeMatch[4].slice(0, 4);
  return `${day}T${timeMatch[1]}:${timeMatch[2] ?? '00'}:${timeMatch[3] ?? '00'}${fraction}${offsetMatch[1]}${offsetMatch[2]}:${offsetMatch[3]}`;
}

function modalityCoding(code: string): FhirCoding {
  return { system: dicomCodeSystem, code };
}

/**
 * Maps DICOM study, series and instance attributes to a FHIR R4 ImagingStudy: the Study Instance UID
 * as "urn:oid:" identifier (system urn:dicom:uid), the Accession Number as an ACSN identifier, status
 * "available", subject, started, counts, DCM modality codings, and series with their instances (SOP
 * Class as a urn:oid coding), each pointing to the DICOMweb endpoint when given.
 */
export function toFhirImagingStudy(input: ToFhirImagingStudyInput): FhirImagingStudy {
  const { study } = input;
  const studyUid = getString(study, '0020000D') ?? '';
  const offset = getString(study, '00080201');
  const endpoint = input.endpoint === undefined ? undefined : [{ reference: input.endpoint }];

  const identifier: FhirIdentifier[] = [{ system: 'urn:dicom:uid', value: `urn:oid:${studyUid}` }];
  const accession = getString(study, '00080050');
  if (accession !== undefined && accession !== '') {
    identifier.push({
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] },
      value: accession,
    });
  }

  const patientId = getString(study, '00100020');
  const subject: FhirReference =
    input.patientReference !== undefined
      ? { reference: input.patientReference }
      : {
          identifier: {
            value: patientId ?? '',
            ...(getString(study, '00100021') === undefined ? {} : { system: getString(study, '00100021')! }),
          },
        };

  const seriesByUid = new Map<string, FhirImagingStudySeries>();
  for (const seriesDataset of input.series ?? []) addSeries(seriesByUid, seriesDataset, endpoint);
  for (const instance of input.instances ?? []) {
    const series = addSeries(seriesByUid, instance, endpoint);
    if (series === undefined) continue;
    const sopInstanceUid = getString(instance, '00080018');
    if (sopInstanceUid === undefined) continue;
    series.instance ??= [];
    if (series.instance.some((known) => known.uid === sopInstanceUid)) continue;
    const number = getNumber(instance, '00200013');
    const title = getString(instance, '00700080'); // Content Label
    series.instance.push({
      uid: sopInstanceUid,
      sopClass: { system: 'urn:ietf:rfc:3986', code: `urn:oid:${getString(instance, '00080016') ?? ''}` },
      ...(number === undefined ? {} : { number }),
      ...(title === undefined ? {} : { title }),
    });
  }
  const series = [...seriesByUid.values()].sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
  for (const item of series) {
    if (item.numberOfInstances === undefined && item.instance !== undefined)
      item.numberOfInstances = item.instance.length;
  }

  const modalities = new Set(getStrings(study, '00080061').filter((code) => code !== ''));
  const studyModality = getString(study, '00080060');
  if (studyModality !== undefined && studyModality !== '') modalities.add(studyModality);
  for (const item of series)
    if (item.modality.code !== undefined && item.modality.code !== '') modalities.add(item.modality.code);

  const numberOfSeries = getNumber(study, '00201206') ?? (series.length > 0 ? series.length : undefined);
  const countedInstances = series.reduce((sum, item) => sum + (item.numberOfInstances ?? 0), 0);
  const numberOfInstances =
    getNumber(study, '00201208') ?? (countedInstances > 0 ? countedInstances : undefined);
  const started = fhirDateTime(getString(study, '00080020'), getString(study, '00080030'), offset);
  const description = getString(study, '00081030');
  const referrer = getString(study, '00080090');

  return {
    resourceType: 'ImagingStudy',
    identifier,
    status: 'available',
    ...(modalities.size === 0 ? {} : { modality: [...modalities].map(modalityCoding) }),
    subject,
    ...(started === undefined ? {} : { started }),
    ...(referrer === undefined || referrer === '' ? {} : { referrer: { display: referrer } }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(numberOfSeries === undefined ? {} : { numberOfSeries }),
    ...(numberOfInstances === undefined ? {} : { numberOfInstances }),
    ...(description === undefined || description === '' ? {} : { description }),
    ...(series.length === 0 ? {} : { series }),
  };
}

function addSeries(
  seriesByUid: Map<string, FhirImagingStudySeries>,
  dataset: DicomJsonDataset,
  endpoint: Array<{ reference: string }> | undefined,
): FhirImagingStudySeries | undefined {
  const uid = getString(dataset, '0020000E');
  if (uid === undefined || uid === '') return undefined;
  const known = seriesByUid.get(uid);
  if (known !== undefined) return known;
  const number = getNumber(dataset, '00200011');
  const description = getString(dataset, '0008103E');
  const bodyPart = getString(dataset, '00180015');
  const laterality = getString(dataset, '00200060');
  const numberOfInstances = getNumber(dataset, '00201209');
  const started = fhirDateTime(
    getString(dataset, '00080021'),
    getString(dataset, '00080031'),
    getString(dataset, '00080201'),
  );
  const series: FhirImagingStudySeries = {
    uid,
    ...(number === undefined ? {} : { number }),
    modality: modalityCoding(getString(dataset, '00080060') ?? ''),
    ...(description === undefined || description === '' ? {} : { description }),
    ...(numberOfInstances === undefined ? {} : { numberOfInstances }),
    ...(endpoint === undefined ? {} : { endpoint }),
    // Body Part Examined is a DICOM defined term, not a SNOMED code: carried as the display text.
    ...(bodyPart === undefined || bodyPart === '' ? {} : { bodySite: { display: bodyPart } }),
    ...(laterality === undefined || laterality === '' ? {} : { laterality: { display: laterality } }),
    ...(started === undefined ? {} : { started }),
  };
  seriesByUid.set(uid, series);
  return series;
}
