/**
 * Actions of the Basic Application Level Confidentiality Profile, PS3.15 Annex E Table E.1-1 (the
 * attributes most often carrying identity; unlisted standard attributes are kept, private ones
 * removed). Codes: D replace with a dummy value, Z zero length (or a dummy when the caller gives one),
 * X remove, U replace UID consistently, C clean (only with the Clean Descriptors Option, else X).
 * Where the table offers a choice (X/Z, Z/D, X/D, X/Z/D, X/Z/U*) the action that keeps a valid IOD
 * without keeping data is taken: Z for type 2 attributes, X otherwise, U for UIDs.
 */
export type DeidentificationAction = 'D' | 'Z' | 'X' | 'U' | 'C';

export const basicProfileActions: Readonly<Record<string, DeidentificationAction>> = {
  '00080014': 'U', // Instance Creator UID
  '00080015': 'X', // Instance Coercion DateTime
  '00080018': 'U', // SOP Instance UID
  '00080012': 'X', // Instance Creation Date
  '00080013': 'X', // Instance Creation Time
  '00080020': 'Z', // Study Date
  '00080021': 'X', // Series Date
  '00080022': 'X', // Acquisition Date
  '00080023': 'Z', // Content Date
  '00080024': 'X', // Overlay Date
  '00080025': 'X', // Curve Date
  '0008002A': 'X', // Acquisition DateTime
  '00080030': 'Z', // Study Time
  '00080031': 'X', // Series Time
  '00080032': 'X', // Acquisition Time
  '00080033': 'Z', // Content Time
  '00080050': 'Z', // Accession Number
  '00080080': 'Z', // Institution Name
  '00080081': 'X', // Institution Address
  '00080082': 'X', // Institution Code Sequence
  '00080090': 'Z', // Referring Physician's Name
  '00080092': 'X', // Referring Physician's Address
  '00080094': 'X', // Referring Physician's Telephone Numbers
  '00080096': 'X', // Referring Physician Identification Sequence
  '0008009C': 'Z', // Consulting Physician's Name
  '0008009D': 'X', // Consulting Physician Identification Sequence
  '00080201': 'X', // Timezone Offset From UTC
  '00081010': 'Z', // Station Name
  '00081030': 'C', // Study Description
  '0008103E': 'C', // Series Description
  '00081040': 'X', // Institutional Department Name
  '00081048': 'X', // Physician(s) of Record
  '00081049': 'X', // Physician(s) of Record Identification Sequence
  '00081050': 'X', // Performing Physician's Name
  '00081052': 'X', // Performing Physician Identification Sequence
  '00081060': 'X', // Name of Physician(s) Reading Study
  '00081062': 'X', // Physician(s) Reading Study Identification Sequence
  '00081070': 'Z', // Operators' Name
  '00081072': 'X', // Operator Identification Sequence
  '00081080': 'C', // Admitting Diagnoses Description
  '00081084': 'X', // Admitting Diagnoses Code Sequence
  '00081120': 'X', // Referenced Patient Sequence
  '00081155': 'U', // Referenced SOP Instance UID
  '00081195': 'U', // Transaction UID
  '00082111': 'C', // Derivation Description
  '00083010': 'U', // Irradiation Event UID
  '00084000': 'X', // Identifying Comments
  '00100010': 'Z', // Patient's Name
  '00100020': 'Z', // Patient ID
  '00100021': 'X', // Issuer of Patient ID
  '00100030': 'Z', // Patient's Birth Date
  '00100032': 'X', // Patient's Birth Time
  '00100040': 'Z', // Patient's Sex
  '00100050': 'X', // Patient's Insurance Plan Code Sequence
  '00101000': 'X', // Other Patient IDs
  '00101001': 'X', // Other Patient Names
  '00101002': 'X', // Other Patient IDs Sequence
  '00101005': 'X', // Patient's Birth Name
  '00101010': 'X', // Patient's Age
  '00101020': 'X', // Patient's Size
  '00101030': 'X', // Patient's Weight
  '00101040': 'X', // Patient's Address
  '00101050': 'X', // Insurance Plan Identification
  '00101060': 'X', // Patient's Mother's Birth Name
  '00101080': 'X', // Military Rank
  '00101081': 'X', // Branch of Service
  '00101090': 'X', // Medical Record Locator
  '00102000': 'X', // Medical Alerts
  '00102110': 'X', // Allergies
  '00102150': 'X', // Country of Residence
  '00102152': 'X', // Region of Residence
  '00102154': 'X', // Patient's Telephone Numbers
  '00102160': 'X', // Ethnic Group
  '00102180': 'X', // Occupation
  '001021A0': 'X', // Smoking Status
  '001021B0': 'X', // Additional Patient History
  '001021C0': 'X', // Pregnancy Status
  '001021D0': 'X', // Last Menstrual Date
  '001021F0': 'X', // Patient's Religious Preference
  '00102203': 'X', // Patient's Sex Neutered
  '00104000': 'X', // Patient Comments
  '00181000': 'Z', // Device Serial Number
  '00181002': 'U', // Device UID
  '00181004': 'X', // Plate ID
  '00181005': 'X', // Generator ID
  '00181007': 'X', // Cassette ID
  '00181008': 'X', // Gantry ID
  '00181030': 'C', // Protocol Name
  '00181200': 'X', // Date of Last Calibration
  '00181201': 'X', // Time of Last Calibration
  '00184000': 'C', // Acquisition Comments
  '0020000D': 'U', // Study Instance UID
  '0020000E': 'U', // Series Instance UID
  '00200010': 'Z', // Study ID
  '00200052': 'U', // Frame of Reference UID
  '00200200': 'U', // Synchronization Frame of Reference UID
  '00203401': 'X', // Modifying Device ID
  '00203404': 'X', // Modifying Device Manufacturer
  '00203406': 'X', // Modified Image Description
  '00204000': 'C', // Image Comments
  '00209158': 'X', // Frame Comments
  '00209161': 'U', // Concatenation UID
  '00209164': 'U', // Dimension Organization UID
  '00281214': 'U', // Large Palette Color Lookup Table UID
  '00321032': 'X', // Requesting Physician
  '00321033': 'X', // Requesting Service
  '00321060': 'C', // Requested Procedure Description
  '00324000': 'X', // Study Comments
  '00380010': 'X', // Admission ID
  '00380300': 'X', // Current Patient Location
  '00380400': 'X', // Patient's Institution Residence
  '00380500': 'X', // Patient State
  '00384000': 'X', // Visit Comments
  '00400006': 'X', // Scheduled Performing Physician's Name
  '00400241': 'X', // Performed Station AE Title
  '00400242': 'X', // Performed Station Name
  '00400243': 'X', // Performed Location
  '00400244': 'X', // Performed Procedure Step Start Date
  '00400245': 'X', // Performed Procedure Step Start Time
  '00400250': 'X', // Performed Procedure Step End Date
  '00400251': 'X', // Performed Procedure Step End Time
  '00400253': 'X', // Performed Procedure Step ID
  '00400254': 'C', // Performed Procedure Step Description
  '00400275': 'X', // Request Attributes Sequence
  '00400280': 'X', // Comments on the Performed Procedure Step
  '00401001': 'X', // Requested Procedure ID
  '00401400': 'X', // Requested Procedure Comments
  '00402016': 'Z', // Placer Order Number / Imaging Service Request
  '00402017': 'Z', // Filler Order Number / Imaging Service Request
  '00402400': 'X', // Imaging Service Request Comments
  '0040A123': 'D', // Person Name (SR)
  '0040A124': 'U', // UID (SR)
  '0040A730': 'X', // Content Sequence
  '0040DB0C': 'U', // Template Extension Organization UID
  '0040DB0D': 'U', // Template Extension Creator UID
  '00700084': 'Z', // Content Creator's Name
  '00700086': 'X', // Content Creator's Identification Code Sequence
  '00880140': 'U', // Storage Media File-set UID
  '30060024': 'U', // Referenced Frame of Reference UID
  '300600C2': 'U', // Related Frame of Reference UID
  '300A0013': 'U', // Dose Reference UID
  '04000100': 'X', // Digital Signature UID
  '04000500': 'X', // Encrypted Attributes Sequence
  '04000550': 'X', // Modified Attributes Sequence
  '04000561': 'X', // Original Attributes Sequence
  FFFAFFFA: 'X', // Digital Signatures Sequence
};

/** Overlay data and comments, curve data (repeating groups 60xx, 50xx) are removed (Table E.1-1). */
export function repeatingGroupAction(tag: string): DeidentificationAction | undefined {
  const group = Number.parseInt(tag.slice(0, 4), 16);
  const element = tag.slice(4);
  if ((group & 0xff00) === 0x6000 && (element === '3000' || element === '4000')) return 'X';
  if ((group & 0xff00) === 0x5000) return 'X';
  return undefined;
}

/**
 * Private attributes known to be safe (a subset of PS3.15 Table E.3.10-1): private creator and element
 * byte within the block. Kept only with the Retain Safe Private Option.
 */
export const safePrivateAttributes: ReadonlyArray<{ group: number; creator: string; elementByte: number }> = [
  { group: 0x0019, creator: 'SIEMENS MR HEADER', elementByte: 0x0c }, // B_value
  { group: 0x0019, creator: 'SIEMENS MR HEADER', elementByte: 0x0d }, // DiffusionDirectionality
  { group: 0x0019, creator: 'SIEMENS MR HEADER', elementByte: 0x0e }, // DiffusionGradientDirection
  { group: 0x0019, creator: 'SIEMENS MR HEADER', elementByte: 0x27 }, // B_matrix
  { group: 0x0043, creator: 'GEMS_PARM_01', elementByte: 0x39 }, // Slop_int_6… (b-value)
  { group: 0x2001, creator: 'Philips MR Imaging DD 001', elementByte: 0x03 }, // Diffusion B-Factor
  { group: 0x2005, creator: 'Philips MR Imaging DD 001', elementByte: 0xb0 }, // Diffusion Direction RL
  { group: 0x2005, creator: 'Philips MR Imaging DD 001', elementByte: 0xb1 }, // Diffusion Direction AP
  { group: 0x2005, creator: 'Philips MR Imaging DD 001', elementByte: 0xb2 }, // Diffusion Direction FH
];
