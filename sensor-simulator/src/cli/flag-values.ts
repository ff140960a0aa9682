import { UsageError } from '@careledger/fabric-toolkit';

/** A number > 0 (or ≥ 0 with `allowZero`) from a flag, or a UsageError naming the flag. */
export function positiveNumber(
  flag: string,
  text: string | undefined,
  fallback: number,
  allowZero = false,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new UsageError(`--${flag} must be a number ${allowZero ? '≥ 0' : '> 0'}, got '${text}'`);
  }
  return value;
}

/** A whole number ≥ 1 from a flag. */
export function positiveInteger(flag: string, text: string | undefined, fallback: number): number {
  const value = positiveNumber(flag, text, fallback);
  if (!Number.isInteger(value)) throw new UsageError(`--${flag} must be a whole number, got '${text}'`);
  return value;
}

/** A comma-separated list of whole numbers ≥ 1, e.g. `1,100,200`. */
export function integerList(flag: string, text: string | undefined, fallback: readonly number[]): number[] {
  if (text === undefined) return [...fallback];
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new UsageError(`--${flag} must be a comma-separated list, got '${text}'`);
  return items.map((item) => positiveInteger(flag, item, 0));
}

/** A share in [0, 1). */
export function share(flag: string, text: string | undefined, fallback: number): number {
  const value = positiveNumber(flag, text, fallback, true);
  if (value >= 1) throw new UsageError(`--${flag} must be below 1, got '${text}'`);
  return value;
}

/** One of `choices`. */
export function oneOf<T extends string>(
  flag: string,
  text: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got '${text}'`);
  }
  return text as T;
}
