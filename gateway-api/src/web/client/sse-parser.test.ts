import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses events split anywhere across chunks, with ids, names, comments and multi-line data', () => {
    const text =
      ': connected\n\nid: 7:abc\nevent: VitalAbnormal\ndata: {"alerts":\ndata: []}\n\n: keep-alive\n\ndata: plain\r\n\r\n';
    for (const size of [1, 3, 7, text.length]) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
      expect(events).toEqual([
        { id: '7:abc', event: 'VitalAbnormal', data: '{"alerts":\n[]}' },
        { id: '7:abc', event: 'message', data: 'plain' },
      ]);
    }
  });

  it('dispatches nothing for an event without data, and waits for the blank line', () => {
    const parser = new SseParser();
    expect(parser.push('event: x\n\n')).toEqual([]);
    expect(parser.push('data: 1\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', data: '1' }]);
  });
});
