import { ChaincodeError } from '@careledger/contract';
import type { KeyRange } from '../keys';

/** Bookmarks are the next key, base64url-encoded; one outside the range is refused. */
export function encodeBookmark(nextKey: string): string {
  return nextKey === '' ? '' : Buffer.from(nextKey, 'utf8').toString('base64url');
}

/** @throws ChaincodeError INVALID_ARGUMENT for a bookmark of another list. */
export function decodeBookmark(bookmark: string, range: KeyRange): string {
  if (bookmark === '') return '';
  const decoded = Buffer.from(bookmark, 'base64url').toString('utf8');
  if (!(decoded >= range.start && decoded < range.end) || encodeBookmark(decoded) !== bookmark) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'bookmark: not a bookmark of this list');
  }
  return decoded;
}
