/**
 * FHIR logical ids for CareLedger's records. CareLedger names a record by several ids that are
 * each an organisation's own (a reading by its custodian, patient and reading id: see
 * docs/contract-api.md, "Patients are named with their custodian"), and FHIR allows one id of
 * `[A-Za-z0-9\-\.]{1,64}`. So an id is the parts joined with `.`; inside a part, letters, digits
 * and `-` stand for themselves and the four other characters CareLedger ids may hold are written
 * `..d` (`.`), `..u` (`_`), `..c` (`:`) and `..a` (`@`). A part never starts with `.`, so a
 * single `.` is always a separator: the id is decoded without a table, on any gateway.
 * `HospitalAMSP.patient-1.r-1` is reading `r-1` of Hospital A's `patient-1`.
 */
const escapes: Readonly<Record<string, string>> = { '.': 'd', _: 'u', ':': 'c', '@': 'a' };
const unescapes: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(escapes).map(([char, code]) => [code, char]),
);

/** FHIR's limit on a logical id (R4 `id` datatype). */
export const maxFhirIdLength = 64;

/**
 * The parts as one FHIR id; undefined when it would exceed 64 characters, or a part is empty or
 * starts with one of the escaped characters (no CareLedger id does).
 */
export function encodeFhirId(parts: readonly string[]): string | undefined {
  if (parts.length === 0 || parts.some((part) => part === '' || /^[._:@]/.test(part))) return undefined;
  const id = parts.map((part) => part.replace(/[._:@]/g, (char) => `..${escapes[char] ?? ''}`)).join('.');
  return id.length <= maxFhirIdLength ? id : undefined;
}

/** The parts a FHIR id names, or undefined when it is not one this module wrote. */
export function decodeFhirId(id: string): string[] | undefined {
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) return undefined;
  const parts: string[] = [];
  let part = '';
  for (let i = 0; i < id.length; i += 1) {
    const char = id[i] as string;
    if (char !== '.') {
      part += char;
    } else if (id[i + 1] === '.') {
      const plain = unescapes[id[i + 2] ?? ''];
      if (plain === undefined) return undefined;
      part += plain;
      i += 2;
    } else {
      if (part === '') return undefined;
      parts.push(part);
      part = '';
    }
  }
  if (part === '') return undefined;
  parts.push(part);
  return parts;
}
