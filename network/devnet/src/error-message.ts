/** An error's message, or the thrown value as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `messageOf`, followed by its cause's message when it has one (`could not open: ENOSPC`). */
export function messageWithCause(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause?.message;
  return [messageOf(err), cause].filter(Boolean).join(': ');
}
