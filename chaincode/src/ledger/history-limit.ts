/** History entries kept per answer; older versions are left out. */
export const maxHistoryEntries = 100;
