import type { DicomJsonAttribute, DicomJsonDataset } from '@pacskit/dicom';
import { writePart10 } from '@pacskit/dicom';
import { createUid } from './createUid.js';
import { type SrStudyContext, attribute, code, dicomDateTime, srDocumentHeader } from './srDocument.js';
import type { AnnotationRecord } from './WorkflowRecords.js';

export const comprehensiveSrSopClassUID = '1.2.840.10008.5.1.4.1.1.88.33';

const a = attribute;
const concept = (value: string, scheme: string, meaning: string) => a('SQ', [code(value, scheme, meaning)]);

function item(
  relationship: string,
  valueType: string,
  name: DicomJsonAttribute,
  rest: DicomJsonDataset,
): DicomJsonDataset {
  return { '0040A010': a('CS', [relationship]), '0040A040': a('CS', [valueType]), '0040A043': name, ...rest };
}

/** SCOORD graphic type for each annotation kind (PS3.3 C.18.6.1.2); an ROI is a closed POLYLINE. */
function graphic(annotation: AnnotationRecord): { type: string; points: [number, number][] } {
  const p = annotation.points;
  switch (annotation.kind) {
    case 'text':
      return { type: 'POINT', points: p.slice(0, 1) };
    case 'arrow':
    case 'length':
    case 'angle':
      return { type: 'POLYLINE', points: p };
    case 'circle':
      return { type: 'CIRCLE', points: p.slice(0, 2) };
    case 'ellipse':
      return { type: 'ELLIPSE', points: p.slice(0, 4) };
    case 'roi': {
      const first = p[0];
      const last = p.at(-1);
      const closed = first && last && (first[0] !== last[0] || first[1] !== last[1]) ? [...p, first] : p;
      return { type: 'POLYLINE', points: closed };
    }
    default:
      return annotation.kind satisfies never;
  }
}

/** The measured quantity's concept name from its UCUM unit; 99PACSKIT is a private scheme (PS3.3 8.2). */
function quantity(unit: string): DicomJsonAttribute {
  if (unit === 'mm' || unit === 'cm') return concept('410668003', 'SCT', 'Length');
  if (unit === 'mm2' || unit === 'cm2') return concept('42798000', 'SCT', 'Area');
  if (unit === 'deg') return concept('ANGLE', '99PACSKIT', 'Angle');
  return concept('MEASUREMENT', '99PACSKIT', 'Measurement');
}

function measurementGroup(
  annotation: AnnotationRecord,
  sopClassUID: string,
  index: number,
): DicomJsonDataset {
  const { type, points } = graphic(annotation);
  const children: DicomJsonDataset[] = [
    item('HAS OBS CONTEXT', 'TEXT', concept('112039', 'DCM', 'Tracking Identifier'), {
      '0040A160': a('UT', [`${annotation.kind} ${index + 1}`]),
    }),
    item('HAS OBS CONTEXT', 'UIDREF', concept('112040', 'DCM', 'Tracking Unique Identifier'), {
      '0040A124': a('UI', [createUid()]),
    }),
    item('CONTAINS', 'SCOORD', concept('111030', 'DCM', 'Image Region'), {
      '00700023': a('CS', [type]),
      '00700022': a('FL', points.flat()),
      '0040A730': a('SQ', [
        item('SELECTED FROM', 'IMAGE', concept('111040', 'DCM', 'Original Source'), {
          '00081199': a('SQ', [
            {
              '00081150': a('UI', [sopClassUID]),
              '00081155': a('UI', [annotation.sopInstanceUID]),
              ...(annotation.frameNumber !== undefined
                ? { '00081160': a('IS', [annotation.frameNumber]) }
                : {}),
            },
          ]),
        }),
      ]),
    }),
  ];
  if (annotation.measurement) {
    children.push(
      item('CONTAINS', 'NUM', quantity(annotation.measurement.unit), {
        '0040A300': a('SQ', [
          {
            '004008EA': a('SQ', [code(annotation.measurement.unit, 'UCUM', annotation.measurement.unit)]),
            '0040A30A': a('DS', [Number(annotation.measurement.value.toPrecision(12))]),
          },
        ]),
      }),
    );
  }
  if (annotation.text) {
    children.push(
      item('CONTAINS', 'TEXT', concept('121106', 'DCM', 'Comment'), {
        '0040A160': a('UT', [annotation.text]),
      }),
    );
  }
  return item('CONTAINS', 'CONTAINER', concept('125007', 'DCM', 'Measurement Group'), {
    '0040A050': a('CS', ['SEPARATE']),
    '0040A504': a('SQ', [{ '00080105': a('CS', ['DCMR']), '0040DB00': a('CS', ['1410']) }]),
    '0040A730': a('SQ', children),
  });
}

/**
 * Annotations as a TID 1500 Measurement Report in a Comprehensive SR (PS3.16 TID 1500/1410):
 * language, observer, procedure reported, and one Measurement Group per annotation with its
 * tracking identifiers, the SCOORD region SELECTED FROM the image, the measured value (UCUM) and
 * any text. Built as DICOM JSON and written with @pacskit/dicom: dcmjs 0.52.2's sr.templates reject
 * a TrackingIdentifier in Measurement (inverted constructor check) and in measurement groups
 * (Array-subclass `filter` calls the constructor), so they cannot build this report.
 */
export function buildMeasurementReportSr(input: {
  annotations: AnnotationRecord[];
  /** SOP Class UID of each annotated instance, by SOP Instance UID. */
  sopClassOf: (sopInstanceUID: string) => string | undefined;
  study: SrStudyContext;
  observerName: string;
  at: number;
}): { dataset: DicomJsonDataset; bytes: Uint8Array; sopInstanceUID: string } {
  const sopInstanceUID = createUid();
  const now = dicomDateTime(input.at);
  const referenced = input.annotations.filter((x) => input.sopClassOf(x.sopInstanceUID) !== undefined);
  const bySeries = new Map<string, Map<string, string>>();
  for (const x of referenced) {
    const series = bySeries.get(x.seriesInstanceUID) ?? new Map<string, string>();
    series.set(x.sopInstanceUID, input.sopClassOf(x.sopInstanceUID)!);
    bySeries.set(x.seriesInstanceUID, series);
  }
  const { study } = input;
  const dataset: DicomJsonDataset = {
    ...srDocumentHeader({
      study,
      sopClassUID: comprehensiveSrSopClassUID,
      sopInstanceUID,
      seriesInstanceUID: createUid(),
      seriesDescription: 'Measurement report',
      seriesNumber: 9500,
      now,
    }),
    '0040A040': a('CS', ['CONTAINER']),
    '0040A043': concept('126000', 'DCM', 'Imaging Measurement Report'),
    '0040A050': a('CS', ['SEPARATE']),
    '0040A372': a('SQ', []), // Performed Procedure Code Sequence (type 2)
    '0040A491': a('CS', ['COMPLETE']),
    '0040A493': a('CS', ['UNVERIFIED']),
    '0040A504': a('SQ', [{ '00080105': a('CS', ['DCMR']), '0040DB00': a('CS', ['1500']) }]),
    '0040A375': a('SQ', [
      {
        '0020000D': a('UI', [study.studyInstanceUID]),
        '00081115': a('SQ', [
          ...[...bySeries].map(([seriesUID, instances]) => ({
            '0020000E': a('UI', [seriesUID]),
            '00081199': a('SQ', [
              ...[...instances].map(([sop, sopClass]) => ({
                '00081150': a('UI', [sopClass]),
                '00081155': a('UI', [sop]),
              })),
            ]),
          })),
        ]),
      },
    ]),
    '0040A730': a('SQ', [
      item('HAS CONCEPT MOD', 'CODE', concept('121049', 'DCM', 'Language of Content Item and Descendants'), {
        '0040A168': a('SQ', [code('en-US', 'RFC5646', 'English (United States)')]),
      }),
      item('HAS OBS CONTEXT', 'CODE', concept('121005', 'DCM', 'Observer Type'), {
        '0040A168': a('SQ', [code('121006', 'DCM', 'Person')]),
      }),
      item('HAS OBS CONTEXT', 'PNAME', concept('121008', 'DCM', 'Person Observer Name'), {
        '0040A123': a('PN', [{ Alphabetic: input.observerName }]),
      }),
      item('HAS CONCEPT MOD', 'CODE', concept('121058', 'DCM', 'Procedure reported'), {
        '0040A168': a('SQ', [code('363679005', 'SCT', 'Imaging procedure')]),
      }),
      item('CONTAINS', 'CONTAINER', concept('126010', 'DCM', 'Imaging Measurements'), {
        '0040A050': a('CS', ['SEPARATE']),
        '0040A730': a(
          'SQ',
          referenced.map((x, i) => measurementGroup(x, input.sopClassOf(x.sopInstanceUID)!, i)),
        ),
      }),
    ]),
  };
  return { dataset, bytes: writePart10({ dataset }), sopInstanceUID };
}
