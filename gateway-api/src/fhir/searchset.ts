import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';

/** What a searchset Bundle is built from: the search's own URL and what the page found. */
export interface SearchPage {
  /** The server's FHIR base, e.g. `https://gw/fhir/R4`. */
  readonly baseUrl: string;
  readonly resourceType: string;
  /** The request's query string, as sent. */
  readonly querystring: string;
  readonly resources: readonly Resource[];
  /** The `_cursor` of the next page; undefined: this is the last. */
  readonly next?: string;
  /** Warnings about the search (a part the ledger refused), as `search.mode` `outcome` entries. */
  readonly outcomes?: readonly OperationOutcome[];
}

/**
 * A searchset Bundle: `self` and, while there is more, a `next` link (the same query with
 * `_cursor`), each resource with its `fullUrl` when it has an id. `total` is not given: counting
 * would read every record.
 */
export function searchsetOf(page: SearchPage): Bundle {
  const path = `${page.baseUrl}/${page.resourceType}`;
  const link = [{ relation: 'self', url: page.querystring === '' ? path : `${path}?${page.querystring}` }];
  if (page.next !== undefined) {
    const next = new URLSearchParams(page.querystring);
    next.set('_cursor', page.next);
    link.push({ relation: 'next', url: `${path}?${next.toString()}` });
  }
  const entry: BundleEntry[] = page.resources.map((resource) => ({
    ...(resource.id === undefined
      ? {}
      : { fullUrl: `${page.baseUrl}/${resource.resourceType}/${resource.id}` }),
    resource,
    search: { mode: 'match' },
  }));
  for (const outcome of page.outcomes ?? []) entry.push({ resource: outcome, search: { mode: 'outcome' } });
  return { resourceType: 'Bundle', type: 'searchset', link, entry };
}
