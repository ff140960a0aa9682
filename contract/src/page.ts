/** One page of a list read: the records, and the bookmark of the next page ('' after the last). */
export interface Page<T> {
  records: T[];
  bookmark: string;
  fetchedRecordsCount: number;
}
