import { BoundedMap } from './bounded-map';

describe('BoundedMap', () => {
  it('evicts the least recently used entry past its bound, telling the owner', () => {
    const evicted: string[] = [];
    const map = new BoundedMap<string, string>({ max: 2, onEvict: (v) => evicted.push(v) });
    map.set('a', 'A');
    map.set('b', 'B');
    expect(map.get('a')).toBe('A');
    map.set('c', 'C');
    expect(evicted).toEqual(['B']);
    expect([map.get('a'), map.get('b'), map.get('c'), map.size]).toEqual(['A', undefined, 'C', 2]);
  });
});
