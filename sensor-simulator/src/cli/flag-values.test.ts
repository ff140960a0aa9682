import { integerList, oneOf, positiveInteger, positiveNumber, share } from './flag-values';
import { UsageError } from '@careledger/fabric-toolkit';

describe('flag values', () => {
  it('parses valid values and applies defaults', () => {
    expect(integerList('users', '1, 100,200', [])).toEqual([1, 100, 200]);
    expect(integerList('users', undefined, [5])).toEqual([5]);
    expect(positiveNumber('rate', '0.5', 1)).toBe(0.5);
    expect(positiveNumber('warmup', '0', 5, true)).toBe(0);
    expect(positiveInteger('users', undefined, 10)).toBe(10);
    expect(share('abnormal', '0.2', 0.1)).toBe(0.2);
    expect(oneOf('mode', 'rest', ['rest', 'direct'], 'direct')).toBe('rest');
  });

  it.each([
    () => integerList('users', '1,,2', []),
    () => integerList('users', '1,0', []),
    () => integerList('users', '1.5', []),
    () => positiveNumber('rate', 'fast', 1),
    () => positiveNumber('rate', '0', 1),
    () => positiveNumber('rate', '', 1),
    () => share('abnormal', '1', 0),
    () => oneOf('mode', 'grpc', ['rest', 'direct'], 'rest'),
  ])('refuses bad input with a UsageError (%#)', (parse) => {
    expect(parse).toThrow(UsageError);
  });

  it('names the flag in the message', () => {
    expect(() => positiveNumber('duration', 'x', 1)).toThrow("--duration must be a number > 0, got 'x'");
  });
});
