import { startTestApp, type TestApp } from '../testing/test-app';
import { webContentSecurityPolicy } from './web-router';

describe('the ward dashboard', () => {
  let app: TestApp;
  beforeAll(() => {
    app = startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves its page at / under a CSP of its own files only, without inline script or style', async () => {
    const res = await app.request('/', { headers: {} });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(webContentSecurityPolicy);
    expect(webContentSecurityPolicy).not.toMatch(/unsafe|https?:|data:|\*/);
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/app.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|https?:\/\//);
  });

  it('serves the bundled front end: one module with the contract’s NEWS2 in it and nothing of Node', async () => {
    const res = await app.request('/app.js', { headers: {} });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const js = await res.text();
    expect(js).toContain('urgent or emergency response');
    expect(js).not.toMatch(/\bimport\b[^(]|require\(|node:/);
    // The page's own code and the contract's NEWS2 rules (about 30 kB) and uPlot (about 50 kB).
    expect(js.length).toBeLessThan(100_000);
    expect((await app.request('/app.css', { headers: {} })).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
  });

  it('answers GET /api/v1/session with the caller, and 401 without a key', async () => {
    const res = await app.request('/api/v1/session', { as: 'a-nurse' });
    expect(await res.json()).toEqual({ data: { identity: 'a-nurse', mspId: 'HospitalAMSP', role: 'nurse' } });
    expect(app.ledger.calls).toEqual([]);
    const anonymous = await app.request('/api/v1/session', { as: '' });
    expect(anonymous.status).toBe(401);
  });
});
