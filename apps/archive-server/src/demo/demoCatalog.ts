/**
 * The demo's patients and studies. Every name, ID and date here is invented; the images are the
 * synthetic phantoms of phantoms.ts.
 */

export type DemoImageKind = 'ct-head' | 'mr-head-t2' | 'mr-head-t1' | 'cr-chest' | 'dx-knee' | 'us-thyroid';

export interface DemoSeries {
  kind: DemoImageKind;
  description: string;
  images: number;
}

export interface DemoStudy {
  /** Stable key used by the workflow part of the seed (orders, reports). */
  key: string;
  patientKey: string;
  modality: 'CT' | 'MR' | 'CR' | 'DX' | 'US';
  description: string;
  bodyPart: string;
  /** Days before the first start. */
  daysAgo: number;
  accessionNumber: string;
  referringPhysician: string;
  series: DemoSeries[];
}

export interface DemoPatient {
  key: string;
  patientName: string;
  patientId: string;
  birthDate: string;
  sex: 'F' | 'M';
}

export const demoPatients: readonly DemoPatient[] = [
  { key: 'jane', patientName: 'DEMO^JANE', patientId: 'PKD-1001', birthDate: '19680412', sex: 'F' },
  { key: 'john', patientName: 'DEMO^JOHN', patientId: 'PKD-1002', birthDate: '19550903', sex: 'M' },
  { key: 'maria', patientName: 'SAMPLE^MARIA', patientId: 'PKD-1003', birthDate: '19901127', sex: 'F' },
  { key: 'minh', patientName: 'SAMPLE^MINH', patientId: 'PKD-1004', birthDate: '19790215', sex: 'M' },
];

export const demoStudies: readonly DemoStudy[] = [
  {
    key: 'jane-ct-head',
    patientKey: 'jane',
    modality: 'CT',
    description: 'CT HEAD WITHOUT CONTRAST',
    bodyPart: 'HEAD',
    daysAgo: 30,
    accessionNumber: 'PKD-A0001',
    referringPhysician: 'REFERRER^RITA',
    series: [{ kind: 'ct-head', description: 'Axial 5mm', images: 32 }],
  },
  {
    key: 'jane-mr-brain',
    patientKey: 'jane',
    modality: 'MR',
    description: 'MR BRAIN',
    bodyPart: 'BRAIN',
    daysAgo: 2,
    accessionNumber: 'PKD-A0002',
    referringPhysician: 'REFERRER^RITA',
    series: [
      { kind: 'mr-head-t2', description: 'AX T2', images: 20 },
      { kind: 'mr-head-t1', description: 'AX T1', images: 20 },
    ],
  },
  {
    key: 'john-cr-chest',
    patientKey: 'john',
    modality: 'CR',
    description: 'XR CHEST PA',
    bodyPart: 'CHEST',
    daysAgo: 1,
    accessionNumber: 'PKD-A0003',
    referringPhysician: 'REFERRER^RITA',
    series: [{ kind: 'cr-chest', description: 'PA', images: 1 }],
  },
  {
    key: 'john-ct-head',
    patientKey: 'john',
    modality: 'CT',
    description: 'CT HEAD TRAUMA',
    bodyPart: 'HEAD',
    daysAgo: 0,
    accessionNumber: 'PKD-A0004',
    referringPhysician: 'REFERRER^RITA',
    series: [{ kind: 'ct-head', description: 'Axial 5mm', images: 32 }],
  },
  {
    key: 'maria-us-thyroid',
    patientKey: 'maria',
    modality: 'US',
    description: 'US THYROID',
    bodyPart: 'NECK',
    daysAgo: 7,
    accessionNumber: 'PKD-A0005',
    referringPhysician: 'REFERRER^RITA',
    series: [{ kind: 'us-thyroid', description: 'Thyroid sweep', images: 4 }],
  },
  {
    key: 'minh-dx-knee',
    patientKey: 'minh',
    modality: 'DX',
    description: 'XR KNEE LEFT 2 VIEWS',
    bodyPart: 'KNEE',
    daysAgo: 3,
    accessionNumber: 'PKD-A0006',
    referringPhysician: 'REFERRER^RITA',
    series: [{ kind: 'dx-knee', description: 'Lateral', images: 1 }],
  },
];
