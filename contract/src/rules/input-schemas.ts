import { z } from 'zod';
import { vitalDefinitions, vitalTypes } from './vital-definitions';

/**
 * Input schemas of every transaction. They are pure and deterministic, and they are the one
 * definition of valid input: the chaincode enforces them and the gateway reuses them for its
 * edge validation and its OpenAPI document.
 */
export const orgTypes = ['hospital', 'lab', 'pharmacy'] as const;
export const roles = ['admin', 'doctor', 'nurse', 'device', 'patient', 'technician', 'pharmacist'] as const;
export const consentScopes = ['demographics', 'vitals', 'labResults', 'prescriptions'] as const;

/** Identifiers: printable, no composite-key separator (U+0000) and no `~`. */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'must be 1-128 characters of letters, digits, . _ : @ -');
export const mspIdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9.-]{0,63}$/, 'must be an MSP ID (letters, digits, . -)');
/** The years a clinical timestamp may fall in: anything outside is a typing or clock error. */
export const plausibleYears = { from: 1970, to: 2099 } as const;
/** How far ahead of the endorsing peer's clock a reading's observedAt may be (clock skew). */
const maxFutureMinutes = 5;
export const timestampSchema = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
  .refine(
    (t) => {
      const year = new Date(t).getUTCFullYear();
      return year >= plausibleYears.from && year <= plausibleYears.to;
    },
    { message: `must lie between ${plausibleYears.from} and ${plausibleYears.to}` },
  )
  .meta({
    description: `ISO 8601 with an offset (Z or ±hh:mm), in the years ${plausibleYears.from}–${plausibleYears.to}`,
  });
/** Free text: trimmed, then 1–max characters; the JSON Schema says it as "contains a non-space". */
const text = (max: number) =>
  z.string().trim().min(1).max(max).meta({
    pattern: '\\S',
    description: 'Surrounding white space is removed; what is left must not be empty',
  });

export const organizationSchema = z.strictObject({
  mspId: mspIdSchema,
  type: z.enum(orgTypes),
  name: text(100),
});

export const registrySchema = z
  .array(organizationSchema)
  .min(1)
  .max(50)
  .refine((orgs) => new Set(orgs.map((o) => o.mspId)).size === orgs.length, 'MSP IDs must be unique');

export const demographicsSchema = z.strictObject({
  name: text(200),
  // Not after the registration either: the chaincode checks that against the proposal's time.
  birthDate: z.iso
    .date({ message: 'must be a date YYYY-MM-DD' })
    .refine((d) => d >= '1900-01-01' && d <= `${plausibleYears.to}-12-31`, {
      message: 'must be a birth date from 1900 on',
    })
    .meta({ description: 'From 1900-01-01, not after the registration' }),
  sex: z.enum(['female', 'male', 'other', 'unknown']),
  contact: z
    .strictObject({
      phone: text(40).optional(),
      email: z.email().max(200).optional(),
      address: text(300).optional(),
    })
    .optional(),
  insurance: z.strictObject({ provider: text(100), policyNumber: text(60) }).optional(),
  emergencyContact: z
    .strictObject({ name: text(200), phone: text(40), relationship: text(60).optional() })
    .optional(),
  allergies: z.array(text(100)).max(50).optional(),
});

export const deviceSchema = z.strictObject({
  deviceId: idSchema,
  type: text(60),
  patientId: idSchema.optional(),
});

const readingBase = {
  readingId: idSchema,
  patientId: idSchema,
  deviceId: idSchema.optional(),
  observedAt: timestampSchema.meta({
    description: `ISO 8601 with an offset, from ${plausibleYears.from} and at most ${maxFutureMinutes} minutes ahead of the ledger's clock`,
  }),
};
const scalarTypes = ['heartRate', 'respiratoryRate', 'spo2', 'bodyTemperature', 'bloodGlucose'] as const;

const unitsAndRanges = scalarTypes
  .map((t) => {
    const d = vitalDefinitions[t];
    return `${t} in '${d.unit}', ${d.min}–${d.max}`;
  })
  .join('; ');
const bp = vitalDefinitions.bloodPressure;
export const scalarReadingSchema = z.strictObject({
  ...readingBase,
  type: z.enum(scalarTypes),
  value: z
    .number()
    .finite()
    .meta({ description: `Within the type's plausible range: ${unitsAndRanges}` }),
  unit: z
    .string()
    .max(20)
    .meta({
      enum: [...new Set(scalarTypes.map((t) => vitalDefinitions[t].unit))],
      description: `The type's UCUM unit: ${unitsAndRanges}`,
    }),
});
export const bloodPressureReadingSchema = z.strictObject({
  ...readingBase,
  type: z.literal('bloodPressure'),
  systolic: z
    .number()
    .finite()
    .meta({ description: `${bp.systolic.min}–${bp.systolic.max} ${bp.unit}, above the diastolic` }),
  diastolic: z
    .number()
    .finite()
    .meta({ description: `${bp.diastolic.min}–${bp.diastolic.max} ${bp.unit}, below the systolic` }),
  unit: z.string().max(20).meta({ const: bp.unit }),
});
export const readingSchema = z.discriminatedUnion('type', [scalarReadingSchema, bloodPressureReadingSchema]);
export const maxBatchReadings = 50;
export const readingBatchSchema = z.array(readingSchema).min(1).max(maxBatchReadings);

export const pageSizeSchema = z.number().int().min(1).max(200);
export const bookmarkSchema = z
  .string()
  .max(1024)
  .meta({ description: "Opaque: the previous page's `page.bookmark`; absent or '' for the first page" });

export const vitalsQuerySchema = z.strictObject({
  patientId: idSchema,
  /** The patient's custodian; the caller's own organisation when left out. */
  custodianMspId: mspIdSchema.optional(),
  from: timestampSchema.optional(),
  to: timestampSchema.optional(),
  type: z.enum(vitalTypes).optional(),
  pageSize: pageSizeSchema.optional(),
  bookmark: bookmarkSchema.optional(),
});

export const consentGrantSchema = z
  .strictObject({
    patientId: idSchema,
    granteeMspId: mspIdSchema,
    granteeRole: z.enum(roles).optional(),
    scopes: z
      .array(z.enum(consentScopes))
      .min(1)
      .refine((s) => new Set(s).size === s.length, 'scopes must be unique')
      .meta({ uniqueItems: true }),
    purpose: text(200),
    validFrom: timestampSchema.optional().meta({ description: 'Default: the time of the grant' }),
    validUntil: timestampSchema.meta({ description: 'Must be after validFrom (and after the grant)' }),
  })
  .refine((c) => !c.validFrom || Date.parse(c.validFrom) < Date.parse(c.validUntil), {
    path: ['validUntil'],
    message: 'must be after validFrom',
  });

export const labResultSchema = z.strictObject({
  resultId: idSchema,
  patientId: idSchema,
  /** The patient's custodian hospital, which holds the result. */
  custodianMspId: mspIdSchema,
  loinc: z.string().regex(/^\d{1,7}-\d$/, 'must be a LOINC code such as 2345-7'),
  display: text(200).optional(),
  value: z.union([z.number().finite(), text(200)]),
  unit: z.string().max(30),
  price: z
    .strictObject({ amount: z.number().finite().min(0), currency: z.string().regex(/^[A-Z]{3}$/) })
    .optional(),
  observedAt: timestampSchema,
});

export const prescriptionSchema = z.strictObject({
  prescriptionId: idSchema,
  patientId: idSchema,
  atc: z.string().regex(/^[A-Z]\d{2}[A-Z]{2}\d{2}$/, 'must be a 7-character ATC code such as C09AA05'),
  medication: text(200),
  dosage: text(200),
  quantity: z.number().int().min(1).max(10000),
});

export const dispensationSchema = z.strictObject({
  dispensationId: idSchema,
  prescriptionId: idSchema,
  patientId: idSchema,
  /** The patient's custodian hospital, which holds the prescription. */
  custodianMspId: mspIdSchema,
  quantity: z.number().int().min(1).max(10000),
});

export type OrgType = (typeof orgTypes)[number];
export type Role = (typeof roles)[number];
export type ConsentScope = (typeof consentScopes)[number];
export type OrganizationInput = z.infer<typeof organizationSchema>;
export type DemographicsInput = z.infer<typeof demographicsSchema>;
export type DeviceInput = z.infer<typeof deviceSchema>;
export type ReadingInput = z.infer<typeof readingSchema>;
export type VitalsQueryInput = z.infer<typeof vitalsQuerySchema>;
export type ConsentGrantInput = z.infer<typeof consentGrantSchema>;
export type LabResultInput = z.infer<typeof labResultSchema>;
export type PrescriptionInput = z.infer<typeof prescriptionSchema>;
export type DispensationInput = z.infer<typeof dispensationSchema>;
