import type { ElementDefinition, ElementDefinitionSlicingDiscriminator } from '@medplum/fhirtypes';

/**
 * Checks a resource against one profile's snapshot: every element's cardinality and fixed or
 * pattern value, per instance of its parent, with slices (`value` and `pattern` discriminators,
 * nested slices included, and type slices of a choice element such as `value[x]:valueQuantity`).
 * Enough for the R4 vital-signs profiles; another discriminator type throws rather than passes.
 * @returns one line per issue, each starting with the element's id.
 */
export function profileIssues(elements: readonly ElementDefinition[], resource: unknown): string[] {
  const byParent = new Map<string, ElementDefinition[]>();
  for (const el of elements.slice(1)) {
    const parent = (el.id ?? '').replace(/\.[^.]+$/, '');
    byParent.set(parent, [...(byParent.get(parent) ?? []), el]);
  }
  const issues: string[] = [];
  const root = elements[0];
  if (root?.id !== undefined) checkNode(root.id, resource, byParent, issues);
  return issues;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const lastSegment = (id: string) => id.slice(id.lastIndexOf('.') + 1);

/** The values of an element named `name` (`value[x]`: any `valueXxx`), with the key each came from. */
function valuesOf(instance: unknown, name: string): { key: string; value: unknown }[] {
  if (!isObject(instance)) return [];
  const keys = name.endsWith('[x]')
    ? Object.keys(instance).filter((k) => new RegExp(`^${name.slice(0, -3)}[A-Z]`).test(k))
    : name in instance
      ? [name]
      : [];
  return keys.flatMap((key) => {
    const v = instance[key];
    return (Array.isArray(v) ? v : [v]).map((value) => ({ key, value }));
  });
}

const fixedOf = (el: ElementDefinition) => {
  const entry = Object.entries(el).find(([k]) => k.startsWith('fixed') || k.startsWith('pattern'));
  return entry === undefined
    ? undefined
    : { pattern: entry[0].startsWith('pattern'), value: entry[1] as unknown };
};

function includes(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern))
    return Array.isArray(value) && pattern.every((p) => value.some((v) => includes(v, p)));
  if (isObject(pattern))
    return isObject(value) && Object.entries(pattern).every(([k, p]) => includes(value[k], p));
  return value === pattern;
}
const equals = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function checkNode(
  id: string,
  instance: unknown,
  byParent: ReadonlyMap<string, ElementDefinition[]>,
  issues: string[],
): void {
  const children = byParent.get(id) ?? [];
  for (const child of children.filter((c) => !lastSegment(c.id ?? '').includes(':'))) {
    const childId = child.id ?? '';
    const values = valuesOf(instance, lastSegment(childId));
    checkValues(child, values, byParent, issues);
    const slices = children.filter((c) => (c.id ?? '').startsWith(`${childId}:`));
    for (const slice of slices) {
      const matched = values.filter((v) => inSlice(slice, v, child.slicing?.discriminator ?? [], byParent));
      checkValues(slice, matched, byParent, issues);
    }
  }
}

function checkValues(
  el: ElementDefinition,
  values: readonly { key: string; value: unknown }[],
  byParent: ReadonlyMap<string, ElementDefinition[]>,
  issues: string[],
): void {
  const id = el.id ?? '';
  const max = el.max === '*' || el.max === undefined ? Infinity : Number(el.max);
  if (values.length < (el.min ?? 0) || values.length > max)
    issues.push(`${id}: ${values.length} values, expected ${el.min ?? 0}..${el.max ?? '*'}`);
  const fixed = fixedOf(el);
  for (const { value } of values) {
    if (fixed !== undefined && !(fixed.pattern ? includes(value, fixed.value) : equals(value, fixed.value)))
      issues.push(
        `${id}: ${JSON.stringify(value)} is not ${fixed.pattern ? 'like ' : ''}${JSON.stringify(fixed.value)}`,
      );
    checkNode(id, value, byParent, issues);
  }
}

/** The fixed or pattern values a slice requires at a discriminator's path, nested slices included. */
function requiredAt(
  sliceId: string,
  path: string,
  byParent: ReadonlyMap<string, ElementDefinition[]>,
): ElementDefinition[] {
  let nodes = [sliceId];
  for (const segment of path.split('.')) {
    nodes = nodes.flatMap((n) =>
      (byParent.get(n) ?? [])
        .filter((c) => {
          const last = lastSegment(c.id ?? '');
          return last === segment || last.startsWith(`${segment}:`);
        })
        .map((c) => c.id ?? ''),
    );
  }
  return nodes.flatMap((n) => [...byParent.values()].flat().filter((e) => e.id === n));
}

function inSlice(
  slice: ElementDefinition,
  entry: { key: string; value: unknown },
  discriminators: readonly ElementDefinitionSlicingDiscriminator[],
  byParent: ReadonlyMap<string, ElementDefinition[]>,
): boolean {
  return discriminators.every((d) => {
    if (d.type === 'type' && d.path === '$this') return entry.key === slice.sliceName;
    if (d.type !== 'value' && d.type !== 'pattern')
      throw new Error(`discriminator ${d.type} is not supported`);
    const required = requiredAt(slice.id ?? '', d.path ?? '', byParent)
      .map(fixedOf)
      .filter((f) => f !== undefined);
    if (required.length === 0) throw new Error(`${slice.id}: nothing fixed at ${d.path}`);
    let values: unknown[] = [entry.value];
    for (const segment of (d.path ?? '').split('.'))
      values = values.flatMap((v) => valuesOf(v, segment).map((x) => x.value));
    return values.some((v) => required.some((f) => (f.pattern ? includes(v, f.value) : equals(v, f.value))));
  });
}
