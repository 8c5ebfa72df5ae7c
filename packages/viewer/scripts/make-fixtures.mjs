#!/usr/bin/env node
// Writes the viewer's static DICOM fixtures (served by Storybook at /dicom and by the browser tests):
//   fixtures/ct-phantom/   a synthetic 100-slice CT phantom with real geometry (PS3.3 C.7.6.2 Image
//                          Plane: position, orientation, spacing), 128×128, 16-bit, explicit VR LE
//   fixtures/samples/      a few python3-pydicom test files (CT, MR, JPEG-LS, RLE, JPEG)
//   fixtures/manifest.json the file lists, so stories can build image IDs without a server
// Deterministic: the same bytes on every run (fixed UIDs, no dates from the clock).
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dcmjs from 'dcmjs';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures');
const repoRoot = join(here, '..', '..', '..');
const pydicomFiles = join(repoRoot, '.cache', 'test-data', 'pydicom', 'data', 'test_files');

const rows = 128;
const columns = 128;
const slices = 100;
const pixelSpacing = 1.5; // mm
const sliceThickness = 2.5; // mm
// UIDs under the 2.25 root (PS3.5 B.2: a UUID as a decimal integer), fixed so the fixtures are stable.
const uidRoot = '2.25.1736151093842209714401981532';
const studyUID = `${uidRoot}.1`;
const seriesUID = `${uidRoot}.2`;
const frameOfReferenceUID = `${uidRoot}.3`;
const ctImageStorage = '1.2.840.10008.5.1.4.1.1.2';
const explicitVRLittleEndian = '1.2.840.10008.1.2.1';

/** Ellipsoids in patient millimetres with a CT number in HU (a Shepp–Logan-like phantom). */
const ellipsoids = [
  { center: [0, 0, 0], radii: [88, 70, 130], hu: 40 }, // soft tissue body
  { center: [0, 0, 0], radii: [84, 66, 126], hu: -60 }, // fat layer inside the skin
  { center: [0, 0, 0], radii: [78, 60, 120], hu: 30 }, // muscle / organs
  { center: [-38, 0, 10], radii: [26, 34, 70], hu: -850 }, // right lung
  { center: [38, 0, 10], radii: [26, 34, 70], hu: -850 }, // left lung
  { center: [0, 38, 0], radii: [9, 9, 130], hu: 700 }, // spine (bone)
  { center: [0, -12, 20], radii: [14, 12, 18], hu: 45 }, // heart-ish
  { center: [20, 10, -30], radii: [6, 6, 6], hu: 120 }, // enhancing lesion
  { center: [-42, -8, 30], radii: [4, 4, 4], hu: 60 }, // lung nodule
];

function huAt(x, y, z) {
  let hu = -1000; // air
  for (const e of ellipsoids) {
    const dx = (x - e.center[0]) / e.radii[0];
    const dy = (y - e.center[1]) / e.radii[1];
    const dz = (z - e.center[2]) / e.radii[2];
    if (dx * dx + dy * dy + dz * dz <= 1) hu = e.hu; // later ellipsoids paint over earlier ones
  }
  return hu;
}

function writePart10(dataset, path) {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: explicitVRLittleEndian,
    ImplementationClassUID: `${uidRoot}.9`,
    ImplementationVersionName: 'PACSKIT_FIXTURE',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  writeFileSync(path, Buffer.from(dict.write()));
}

function makeCtPhantom() {
  const dir = join(fixtures, 'ct-phantom');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = [];
  const originX = (-(columns - 1) / 2) * pixelSpacing;
  const originY = (-(rows - 1) / 2) * pixelSpacing;
  for (let slice = 0; slice < slices; slice++) {
    // Slice 1 is the most superior (head first supine): z decreases with the instance number.
    const z = ((slices - 1) / 2 - slice) * sliceThickness;
    const pixels = new Int16Array(rows * columns);
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        const x = originX + column * pixelSpacing;
        const y = originY + row * pixelSpacing;
        // Stored value = HU − RescaleIntercept (−1024), with a little deterministic texture.
        const texture = ((row * 31 + column * 17 + slice * 7) % 11) - 5;
        pixels[row * columns + column] = Math.max(0, huAt(x, y, z) + 1024 + texture);
      }
    }
    const instanceNumber = slice + 1;
    const dataset = {
      SpecificCharacterSet: 'ISO_IR 100',
      ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
      SOPClassUID: ctImageStorage,
      SOPInstanceUID: `${uidRoot}.4.${instanceNumber}`,
      StudyDate: '20240101',
      SeriesDate: '20240101',
      StudyTime: '120000',
      AccessionNumber: 'PHANTOM1',
      Modality: 'CT',
      Manufacturer: 'PacsKit',
      ReferringPhysicianName: '',
      StudyDescription: 'Synthetic CT phantom',
      SeriesDescription: 'Axial 2.5 mm phantom',
      PatientName: 'Phantom^Synthetic',
      PatientID: 'PHANTOM-0001',
      PatientBirthDate: '',
      PatientSex: 'O',
      BodyPartExamined: 'CHEST',
      SliceThickness: String(sliceThickness),
      KVP: '120',
      PatientPosition: 'HFS',
      StudyInstanceUID: studyUID,
      SeriesInstanceUID: seriesUID,
      StudyID: '1',
      SeriesNumber: '1',
      InstanceNumber: String(instanceNumber),
      ImagePositionPatient: [originX, originY, z].map((v) => v.toFixed(3)),
      ImageOrientationPatient: ['1', '0', '0', '0', '1', '0'],
      FrameOfReferenceUID: frameOfReferenceUID,
      PositionReferenceIndicator: '',
      SliceLocation: z.toFixed(3),
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: rows,
      Columns: columns,
      PixelSpacing: [String(pixelSpacing), String(pixelSpacing)],
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 1,
      WindowCenter: '40',
      WindowWidth: '400',
      RescaleIntercept: '-1024',
      RescaleSlope: '1',
      RescaleType: 'HU',
      PixelData: pixels.buffer,
      _vrMap: { PixelData: 'OW' },
    };
    const name = `CT${String(instanceNumber).padStart(3, '0')}.dcm`;
    writePart10(dataset, join(dir, name));
    files.push(`ct-phantom/${name}`);
  }
  return files;
}

const samples = [
  'CT_small.dcm', // CT, explicit VR LE, 128×128 16-bit
  'MR_small.dcm', // MR, explicit VR LE
  'MR_small_jpeg_ls_lossless.dcm', // JPEG-LS lossless (1.2.840.10008.1.2.4.80)
  'MR_small_RLE.dcm', // RLE lossless (1.2.840.10008.1.2.5)
  'SC_rgb_jpeg_dcmtk.dcm', // JPEG baseline, RGB (1.2.840.10008.1.2.4.50)
];

function copySamples() {
  const dir = join(fixtures, 'samples');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (!existsSync(pydicomFiles)) {
    throw new Error(`pydicom test files not found at ${pydicomFiles}: run scripts/fetch-test-data.sh`);
  }
  return samples.map((name) => {
    copyFileSync(join(pydicomFiles, name), join(dir, name));
    return `samples/${name}`;
  });
}

mkdirSync(fixtures, { recursive: true });
const manifest = { ctPhantom: makeCtPhantom(), samples: copySamples() };
writeFileSync(join(fixtures, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(
  `wrote ${manifest.ctPhantom.length} CT slices and ${manifest.samples.length} samples to ${fixtures}\n`,
);
