import type { DicomJsonAttribute, DicomJsonDataset, ValueRepresentation } from '@pacskit/dicom';
import { writePart10 } from '@pacskit/dicom';
import { createDemoUid } from './createDemoUid.js';
import type { DemoPatient, DemoSeries, DemoStudy } from './demoCatalog.js';
import { chestRadiograph, type HeadTissue, headSlice, kneeRadiograph, ultrasoundSector } from './phantoms.js';

/** Storage SOP classes (PS3.4 Annex B.5). */
const sopClass = {
  ct: '1.2.840.10008.5.1.4.1.1.2',
  mr: '1.2.840.10008.5.1.4.1.1.4',
  cr: '1.2.840.10008.5.1.4.1.1.1',
  dxForPresentation: '1.2.840.10008.5.1.4.1.1.1.1',
  us: '1.2.840.10008.5.1.4.1.1.6.1',
} as const;

type Value = string | number | { Alphabetic: string };

function attribute(vr: ValueRepresentation, ...values: Value[]): DicomJsonAttribute {
  return values.length === 0 ? { vr } : ({ vr, Value: values } as DicomJsonAttribute);
}

/** The Series Instance UID of a demo series (the same for the same data directory). */
export function demoSeriesUID(uidRoot: string, studyKey: string, seriesIndex: number): string {
  return createDemoUid(uidRoot, studyKey, seriesIndex);
}

/** The SOP Instance UID of a demo image (index 0-based in its series). */
export function demoInstanceUID(
  uidRoot: string,
  studyKey: string,
  seriesIndex: number,
  index: number,
): string {
  return createDemoUid(uidRoot, studyKey, seriesIndex, index);
}

/** The study-level identity shared by every instance of one study. */
export interface DemoStudyIdentity {
  studyInstanceUID: string;
  studyDate: string;
  studyTime: string;
}

export function demoStudyIdentity(study: DemoStudy, now: Date, uidRoot: string): DemoStudyIdentity {
  const date = new Date(now.getTime() - study.daysAgo * 86_400_000);
  const iso = date.toISOString();
  return {
    studyInstanceUID: createDemoUid(uidRoot, study.key),
    studyDate: iso.slice(0, 10).replaceAll('-', ''),
    studyTime: `${iso.slice(11, 13)}${iso.slice(14, 16)}00`,
  };
}

const ctHounsfield: Record<HeadTissue | 'air', number> = {
  air: -1000,
  bone: 900,
  brain: 35,
  grey: 42,
  csf: 8,
  lesion: 70, // an acute haemorrhage is hyperdense
  calcification: 300,
};
const mrT2: Record<HeadTissue | 'air', number> = {
  air: 0,
  bone: 80,
  brain: 700,
  grey: 850,
  csf: 1800,
  lesion: 1300,
  calcification: 50,
};
const mrT1: Record<HeadTissue | 'air', number> = {
  air: 0,
  bone: 300,
  brain: 900,
  grey: 700,
  csf: 250,
  lesion: 600,
  calcification: 100,
};

function littleEndianBase64(pixels: Uint16Array | Uint8Array): string {
  // Node runs little-endian on every platform we target, so the typed array's bytes are the
  // Explicit VR Little Endian encoding (PS3.5 7.3).
  return Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength).toString('base64');
}

interface Image {
  sopClassUID: string;
  attributes: DicomJsonDataset;
  rows: number;
  columns: number;
  bitsStored: number;
  pixels: Uint16Array | Uint8Array;
}

function headImage(
  kind: 'ct-head' | 'mr-head-t2' | 'mr-head-t1',
  index: number,
  count: number,
  frameOfReferenceUID: string,
): Image {
  const size = 256;
  const spacing = 0.9;
  const sliceThickness = 5;
  const z = -0.75 + (1.5 * index) / Math.max(1, count - 1);
  const zMillimetres = (z * 90).toFixed(2);
  const origin = (-(size * spacing) / 2).toFixed(1);
  const geometry: DicomJsonDataset = {
    '00180050': attribute('DS', sliceThickness), // SliceThickness
    '00200032': attribute('DS', Number(origin), Number(origin), Number(zMillimetres)), // ImagePositionPatient
    '00200037': attribute('DS', 1, 0, 0, 0, 1, 0), // ImageOrientationPatient
    '00200052': attribute('UI', frameOfReferenceUID),
    '00201041': attribute('DS', Number(zMillimetres)), // SliceLocation
    '00280030': attribute('DS', spacing, spacing), // PixelSpacing
  };
  if (kind === 'ct-head') {
    const pixels = headSlice({
      size,
      z,
      values: shift(ctHounsfield, 1024),
      noise: 5,
      seed: index + 1,
      maxValue: 4095,
    });
    return {
      sopClassUID: sopClass.ct,
      rows: size,
      columns: size,
      bitsStored: 12,
      pixels,
      attributes: {
        ...geometry,
        '00080008': attribute('CS', 'ORIGINAL', 'PRIMARY', 'AXIAL'),
        '00180060': attribute('DS', 120), // KVP
        '00281050': attribute('DS', 40, 600), // WindowCenter: brain, bone
        '00281051': attribute('DS', 80, 2800),
        '00281052': attribute('DS', -1024), // RescaleIntercept: stored value → HU (PS3.3 C.11.1.1.2)
        '00281053': attribute('DS', 1),
        '00281054': attribute('LO', 'HU'),
      },
    };
  }
  const t2 = kind === 'mr-head-t2';
  const pixels = headSlice({
    size,
    z,
    values: t2 ? mrT2 : mrT1,
    noise: 18,
    seed: 1000 + index,
    maxValue: 4095,
  });
  return {
    sopClassUID: sopClass.mr,
    rows: size,
    columns: size,
    bitsStored: 12,
    pixels,
    attributes: {
      ...geometry,
      '00080008': attribute('CS', 'ORIGINAL', 'PRIMARY', 'M', 'ND'),
      '00180020': attribute('CS', 'SE'), // ScanningSequence
      '00180021': attribute('CS', 'NONE'), // SequenceVariant
      '00180023': attribute('CS', '2D'), // MRAcquisitionType
      '00180080': attribute('DS', t2 ? 4000 : 500), // RepetitionTime
      '00180081': attribute('DS', t2 ? 100 : 12), // EchoTime
      '00180087': attribute('DS', 1.5), // MagneticFieldStrength
      '00281050': attribute('DS', t2 ? 900 : 600),
      '00281051': attribute('DS', t2 ? 1800 : 1200),
    },
  };
}

function shift(values: Record<HeadTissue | 'air', number>, by: number): Record<HeadTissue | 'air', number> {
  return Object.fromEntries(Object.entries(values).map(([tissue, value]) => [tissue, value + by])) as Record<
    HeadTissue | 'air',
    number
  >;
}

function projectionImage(kind: 'cr-chest' | 'dx-knee'): Image {
  const size = kind === 'cr-chest' ? 1024 : 768;
  const spacing = kind === 'cr-chest' ? 0.35 : 0.2;
  return {
    sopClassUID: kind === 'cr-chest' ? sopClass.cr : sopClass.dxForPresentation,
    rows: size,
    columns: size,
    bitsStored: 12,
    pixels: kind === 'cr-chest' ? chestRadiograph(size, 7) : kneeRadiograph(size, 11),
    attributes: {
      '00080008': attribute('CS', 'ORIGINAL', 'PRIMARY'),
      '00185101': attribute('CS', kind === 'cr-chest' ? 'PA' : 'LL'), // ViewPosition
      '00181164': attribute('DS', spacing, spacing), // ImagerPixelSpacing
      '00200020': attribute('CS', kind === 'cr-chest' ? 'L' : 'A', kind === 'cr-chest' ? 'F' : 'F'), // PatientOrientation
      '00281050': attribute('DS', 2048),
      '00281051': attribute('DS', 4096),
      ...(kind === 'dx-knee'
        ? {
            '00080068': attribute('CS', 'FOR PRESENTATION'), // PresentationIntentType
            '00200062': attribute('CS', 'L'), // ImageLaterality
            '00281040': attribute('CS', 'IDENTITY'), // PixelIntensityRelationship
          }
        : {}),
    },
  };
}

function ultrasoundImage(index: number): Image {
  const columns = 640;
  const rows = 480;
  return {
    sopClassUID: sopClass.us,
    rows,
    columns,
    bitsStored: 8,
    pixels: ultrasoundSector(columns, rows, 100 + index, (index - 1.5) * 25),
    attributes: {
      '00080008': attribute('CS', 'ORIGINAL', 'PRIMARY', 'ABDOMINAL'),
      '00200020': attribute('CS'),
    },
  };
}

function imageFor(series: DemoSeries, index: number, frameOfReferenceUID: string): Image {
  switch (series.kind) {
    case 'ct-head':
    case 'mr-head-t2':
    case 'mr-head-t1':
      return headImage(series.kind, index, series.images, frameOfReferenceUID);
    case 'cr-chest':
    case 'dx-knee':
      return projectionImage(series.kind);
    case 'us-thyroid':
      return ultrasoundImage(index);
    default:
      return series.kind satisfies never;
  }
}

/**
 * Every instance of a demo study as DICOM Part 10 bytes (Explicit VR Little Endian), one at a time
 * so a large series never sits in memory whole.
 */
export function* buildDemoInstances(
  patient: DemoPatient,
  study: DemoStudy,
  identity: DemoStudyIdentity,
  uidRoot: string,
): Generator<Uint8Array> {
  const frameOfReferenceUID = createDemoUid(uidRoot, study.key, 'frame-of-reference');
  for (const [seriesIndex, series] of study.series.entries()) {
    const seriesInstanceUID = demoSeriesUID(uidRoot, study.key, seriesIndex);
    for (let index = 0; index < series.images; index++) {
      const image = imageFor(series, index, frameOfReferenceUID);
      const sopInstanceUID = demoInstanceUID(uidRoot, study.key, seriesIndex, index);
      const eightBit = image.bitsStored === 8;
      const dataset: DicomJsonDataset = {
        '00080005': attribute('CS', 'ISO_IR 100'),
        '00080016': attribute('UI', image.sopClassUID),
        '00080018': attribute('UI', sopInstanceUID),
        '00080020': attribute('DA', identity.studyDate),
        '00080021': attribute('DA', identity.studyDate),
        '00080030': attribute('TM', identity.studyTime),
        '00080031': attribute('TM', identity.studyTime),
        '00080050': attribute('SH', study.accessionNumber),
        '00080060': attribute('CS', study.modality),
        '00080070': attribute('LO', 'PacsKit'),
        '00080080': attribute('LO', 'PacsKit Demo Hospital'),
        '00080090': attribute('PN', { Alphabetic: study.referringPhysician }),
        '00081030': attribute('LO', study.description),
        '0008103E': attribute('LO', series.description),
        '00081090': attribute('LO', 'PacsKit phantom'),
        '00100010': attribute('PN', { Alphabetic: patient.patientName }),
        '00100020': attribute('LO', patient.patientId),
        '00100030': attribute('DA', patient.birthDate),
        '00100040': attribute('CS', patient.sex),
        '00180015': attribute('CS', study.bodyPart),
        '0020000D': attribute('UI', identity.studyInstanceUID),
        '0020000E': attribute('UI', seriesInstanceUID),
        '00200010': attribute('SH', study.accessionNumber.slice(-4)),
        '00200011': attribute('IS', seriesIndex + 1),
        '00200013': attribute('IS', index + 1),
        '00280002': attribute('US', 1),
        '00280004': attribute('CS', 'MONOCHROME2'),
        '00280010': attribute('US', image.rows),
        '00280011': attribute('US', image.columns),
        '00280100': attribute('US', eightBit ? 8 : 16),
        '00280101': attribute('US', image.bitsStored),
        '00280102': attribute('US', image.bitsStored - 1),
        '00280103': attribute('US', 0),
        ...image.attributes,
        '7FE00010': { vr: eightBit ? 'OB' : 'OW', InlineBinary: littleEndianBase64(image.pixels) },
      };
      yield writePart10({ dataset });
    }
  }
}
