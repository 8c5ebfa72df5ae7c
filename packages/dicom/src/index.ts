export { binaryValueRepresentations, normalizeTag } from './dicomJson.js';
export type {
  DicomJsonAttribute,
  DicomJsonDataset,
  DicomJsonValue,
  PersonNameValue,
  ValueRepresentation,
} from './dicomJson.js';
export { PacsError, isPacsError, isPacsErrorCode, pacsErrorTable } from './pacsError.js';
export type { PacsErrorCode, PacsErrorOptions } from './pacsError.js';
export {
  isPrivateCreatorTag,
  isPrivateTag,
  isValueRepresentation,
  keywordToTag,
  tagToKeyword,
  toTag,
  vrOf,
} from './dictionary.js';
export { parsePart10 } from './parsePart10.js';
export { longLengthVrs } from './valueRepresentationLayout.js';
export type { BulkDataReference, ParsePart10Options, Part10Parsed } from './parsePart10.js';
export { implementationClassUID, implementationVersionName, writePart10 } from './writePart10.js';
export type { WritePart10Input } from './writePart10.js';
export { splitEncapsulatedPixelData } from './encapsulatedPixelData.js';
export type { EncapsulatedPixelData } from './encapsulatedPixelData.js';
export {
  deflatedExplicitVrLittleEndian,
  explicitVrBigEndian,
  explicitVrLittleEndian,
  implicitVrLittleEndian,
  transferSyntaxEncoding,
} from './transferSyntax.js';
export type { TransferSyntaxEncoding } from './transferSyntax.js';
export {
  getAttribute,
  getItems,
  getNumber,
  getString,
  getStrings,
  setAttribute,
} from './attributeAccessors.js';
export type { AttributeInput } from './attributeAccessors.js';
export { toDicomJsonQuery } from './toDicomJsonQuery.js';
export { characterSetValueRepresentations, decodeText, encodeText } from './characterSet.js';
export { decodeBase64, encodeBase64 } from './base64.js';
export { formatPersonName, parsePersonName, toPersonNameValue } from './personName.js';
export type { PersonName, PersonNameComponents } from './personName.js';
export {
  formatDate,
  formatDateTime,
  formatRange,
  formatTime,
  parseDate,
  parseDateRange,
  parseDateTime,
  parseDateTimeRange,
  parseTime,
  parseTimeRange,
} from './dateTimeValues.js';
export type { DicomDate, DicomDateTime, DicomRange, DicomTime } from './dateTimeValues.js';
export {
  formatAge,
  formatDecimalString,
  formatIntegerString,
  parseAge,
  parseDecimalString,
  parseIntegerString,
} from './numberValues.js';
export type { DicomAge } from './numberValues.js';
export { createUid, isValidUid } from './uid.js';
export type { CreateUidOptions } from './uid.js';
export { normalizeDate, normalizeDateTime, normalizeTime, parseMatchingKey } from './matchingKey.js';
export type { MatchingKey } from './matchingKey.js';
export { matchAttribute, matchDataset, queryText, wildcardRegExp } from './matchDataset.js';
export type { MatchOptions } from './matchDataset.js';
export { validateInstance } from './validateInstance.js';
export type { ValidateInstanceOptions, ValidationIssue } from './validateInstance.js';
export { createUidMapper, deidentify } from './deidentify.js';
export type { DeidentifyOptions, UidMapper } from './deidentify.js';
export { basicProfileActions, safePrivateAttributes } from './deidentificationProfile.js';
export type { DeidentificationAction } from './deidentificationProfile.js';
export { toFhirImagingStudy } from './toFhirImagingStudy.js';
export type {
  FhirCoding,
  FhirIdentifier,
  FhirImagingStudy,
  FhirImagingStudyInstance,
  FhirImagingStudySeries,
  FhirReference,
  ToFhirImagingStudyInput,
} from './toFhirImagingStudy.js';
