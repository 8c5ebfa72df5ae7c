import { z } from 'zod';

/** PS3.5 9.1: digits and dots, no leading zeros in a component, at most 64 characters. */
export const uidSchema = z
  .string()
  .max(64)
  .regex(/^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/, 'not a DICOM UID');

export const idSchema = z.uuid();

/** LO (PatientID): at most 64 characters, no backslash or control characters (PS3.5 6.2). */
export const patientIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\\\p{Cc}]+$/u, 'not a valid PatientID');

/** PN in DICOM form, e.g. "Doe^Jane". */
export const personNameSchema = z
  .string()
  .min(1)
  .max(320)
  .regex(/^[^\\\p{Cc}]+$/u, 'not a valid person name');

export const shortTextSchema = z
  .string()
  .max(256)
  .regex(/^[^\p{Cc}]*$/u, 'control characters are not allowed');

export const longTextSchema = z.string().max(65_536);

export const modalitySchema = z.string().regex(/^[A-Z0-9_]{1,16}$/, 'not a modality code (CS)');

export const isoInstantSchema = z.iso.datetime({ offset: true });

export const limitSchema = z.coerce.number().int().min(1).max(1000).default(100);
export const offsetSchema = z.coerce.number().int().min(0).max(1_000_000).default(0);

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
