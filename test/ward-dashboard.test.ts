import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, signers } from '@hyperledger/fabric-gateway';
import { TransientKey } from '@careledger/contract';
import { tlsRootsOf } from '@careledger/fabric-toolkit';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack';

/*
 * The ward dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core
 * against the gateway on the embedded network. Screenshots go to test-artifacts/ward-dashboard/.
 */
jest.setTimeout(60_000);

const chromiumPath = '/usr/bin/chromium';
const artifacts = join(__dirname, '..', 'test-artifacts', 'ward-dashboard');

let stack: EmbeddedStack;
let browser: Browser;
let page: Page;
let seq = 0;

const units = { heartRate: '/min', respiratoryRate: '/min', spo2: '%', bodyTemperature: 'Cel' } as const;
type Scalar = keyof typeof units;

/** Escapes `text` for a RegExp. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Asserts that the element shows exactly `text`, waiting up to 10 s for it: the page renders as
 * answers arrive (a patient's name after its row), so an immediate read races the page.
 */
async function shows(locator: Locator, text: string): Promise<void> {
  await locator
    .filter({ hasText: new RegExp(`^${literally(text)}$`) })
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined); // the assertion below says what it showed instead
  expect(await locator.textContent()).toBe(text);
}

/** As `shows`, for an element whose text contains `part` (or matches it). */
async function mentions(locator: Locator, part: string | RegExp): Promise<void> {
  await locator
    .filter({ hasText: typeof part === 'string' ? new RegExp(literally(part)) : part })
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
  const text = (await locator.textContent()) ?? '';
  if (typeof part === 'string') expect(text).toContain(part);
  else expect(text).toMatch(part);
}

async function api(as: string, path: string, body: unknown): Promise<number> {
  const res = await fetch(`${stack.gateway.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'x-api-key': stack.keys[as] ?? '', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const status = res.status;
  await res.text();
  return status;
}

function reading(patientId: string, type: Scalar | 'bloodPressure', value: number) {
  seq += 1;
  const common = { readingId: `ward-r-${seq}`, patientId, observedAt: new Date().toISOString() };
  return type === 'bloodPressure'
    ? { ...common, type, systolic: value, diastolic: 70, unit: 'mm[Hg]' }
    : { ...common, type, value, unit: units[type] };
}

/** Records readings as the Hospital A nurse, one transaction. */
async function record(patientId: string, values: Partial<Record<Scalar | 'bloodPressure', number>>) {
  const readings = Object.entries(values).map(([type, v]) => reading(patientId, type as Scalar, v));
  expect(await api('hospitala-nurse', '/vitals/batch', { readings })).toBe(201);
}

const row = (patientId: string) => page.locator(`#ward-rows tr[data-patient-id="${patientId}"]`);
/** A JavaScript expression evaluated in the page (this file is typed for Node, not the DOM). */
const inPage = <T = unknown>(expression: string): Promise<T> => page.evaluate<T>(expression);
const orderExpression =
  "[...document.querySelectorAll('#ward-rows tr')].map((tr) => tr.dataset.patientId).join()";
const order = async () => (await inPage<string>(orderExpression)).split(',');
/**
 * Waits until `expression` is true in the page, at most `ms`; answers how long it took. Polled
 * from here: the page's CSP refuses the eval that waitForFunction's string predicates need.
 */
async function within(ms: number, expression: string): Promise<number> {
  const start = Date.now();
  while (!(await inPage<boolean>(expression))) {
    if (Date.now() - start > ms) throw new Error(`not true within ${ms} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - start;
}
const shot = (name: string) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

async function signIn(identity: string): Promise<void> {
  await page.goto(stack.gateway.url);
  await page.getByLabel('API key').fill(stack.keys[identity] ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#who').waitFor({ state: 'visible' });
}

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)`,
    );
  }
  mkdirSync(artifacts, { recursive: true });
  const [started, launched] = await Promise.all([
    startEmbeddedStack('ward'),
    chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] }),
  ]);
  stack = started;
  browser = launched;
  for (const [patientId, name] of [
    ['ward-1', 'Ada Lovelace'],
    ['ward-2', 'Ben Okafor'],
    ['ward-3', 'Chiara Rossi'],
  ]) {
    const demographics = { name, birthDate: '1970-01-01', sex: 'female' };
    expect(await api('hospitala-nurse', '/patients', { patientId, demographics })).toBe(201);
  }
  // ward-1: pulse 95 scores 1 (total 1, low); ward-3: all in the white band (0, low).
  const normal = { respiratoryRate: 16, spo2: 97, bloodPressure: 120, heartRate: 70, bodyTemperature: 37.0 };
  await record('ward-1', { ...normal, heartRate: 95 });
  await record('ward-3', normal);
  // ward-2, the fixed set: respiration 22 → 2, SpO2 94 → 1, systolic 105 → 1, pulse 112 → 2,
  // temperature 38.4 → 1: NEWS2 7, high (RCP chart 1 and 2, by hand).
  await record('ward-2', {
    respiratoryRate: 22,
    spo2: 94,
    bloodPressure: 105,
    heartRate: 112,
    bodyTemperature: 38.4,
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the ward dashboard', () => {
  it("signs a nurse in and shows the hospital's patients, highest risk first, with the NEWS2 computed by hand", async () => {
    await signIn('hospitala-nurse');
    await shows(page.locator('#who'), 'Signed in as nurse of Hospital A (HospitalAMSP, hospital)');
    await row('ward-3').waitFor();
    await expect(order()).resolves.toEqual(['ward-2', 'ward-1', 'ward-3']);
    const ben = row('ward-2');
    await shows(ben.locator('.news2 .total'), '7');
    await shows(ben.locator('.news2 .risk'), 'High');
    await shows(ben.locator('td[data-type="heartRate"] .value'), '112 /min');
    await shows(ben.locator('td[data-type="bloodPressure"] .value'), '105/70 mmHg');
    await shows(row('ward-1').locator('.news2 .total'), '1');
    await shows(row('ward-1').locator('.patient .name'), 'Ada Lovelace');
    await expect(page.locator('#stream-status').getAttribute('data-state')).resolves.toBe('live');
    expect(await inPage("sessionStorage.getItem('careledger.apiKey')")).toBe(stack.keys['hospitala-nurse']);
    await shot('1-nurse-ward');
  });

  it('shows a normal reading sent through the API within 2 s, without reloading', async () => {
    const cell = row('ward-3').locator('td[data-type="heartRate"] .value');
    await shows(cell, '70 /min');
    await inPage('window.marker = true');
    await record('ward-3', { heartRate: 77 });
    const cellText =
      'document.querySelector(\'tr[data-patient-id="ward-3"] td[data-type="heartRate"] .value\')?.textContent';
    expect(await within(2000, `${cellText} === '77 /min'`)).toBeLessThan(2000);
    expect(await inPage('window.marker')).toBe(true);
  });

  it('shows within 2 s a reading the nurse recorded through her own Fabric client, not through this gateway', async () => {
    const file = stack.devnet.connection;
    const nurse = file.organisations
      .flatMap((o) => o.identities.map((i) => ({ ...i, mspId: o.mspId })))
      .find((i) => i.name === 'hospitala-nurse');
    if (nurse === undefined) throw new Error('no hospitala-nurse in the connection file');
    const client = new grpc.Client(file.gatewayEndpoint, grpc.credentials.createSsl(tlsRootsOf(file)));
    const gateway = connect({
      client,
      identity: { mspId: nurse.mspId, credentials: readFileSync(nurse.certPath) },
      signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(nurse.keyPath))),
    });
    try {
      const contract = gateway.getNetwork(file.channel).getContract(file.chaincode);
      const sent = reading('ward-1', 'spo2', 95);
      await contract.submit('Vitals:record', {
        transientData: { [TransientKey.reading]: JSON.stringify(sent) },
        endorsingOrganizations: [nurse.mspId],
      });
      const cellText =
        'document.querySelector(\'tr[data-patient-id="ward-1"] td[data-type="spo2"] .value\')?.textContent';
      expect(await within(2000, `${cellText} === '95 %'`)).toBeLessThan(2000);
    } finally {
      gateway.close();
      client.close();
    }
  });

  it("reads no patient's vitals on a timer: only what a notice names", async () => {
    const reads: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (new URL(request.url()).pathname.includes('/vitals')) reads.push(request.url());
    };
    page.on('request', onRequest);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    page.off('request', onRequest);
    expect(reads).toEqual([]);
  });

  it('moves a patient up within 2 s when an abnormal reading arrives, and lists the alert', async () => {
    await expect(order()).resolves.toEqual(['ward-2', 'ward-1', 'ward-3']);
    await record('ward-3', { heartRate: 135 });
    expect(await within(2000, `${orderExpression} === 'ward-2,ward-3,ward-1'`)).toBeLessThan(2000);
    const chiara = row('ward-3');
    await shows(chiara.locator('.news2 .total'), '3');
    await shows(chiara.locator('.news2 .risk'), 'Low–medium');
    await shows(chiara.locator('td[data-type="heartRate"] .sub'), '3↑ NEWS2 sub-score 3, high');
    await page.locator('#alert-list li').first().waitFor({ timeout: 2000 });
    await mentions(
      page.locator('#alert-list li').first(),
      'Chiara Rossi · critical (sub-score 3) · Pulse 135 /min',
    );
    await shot('2-abnormal-moved-up');
  });

  it("lets the nurse acknowledge an alert; the doctor's open page shows who and when", async () => {
    const doctorPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await doctorPage.goto(stack.gateway.url);
      await doctorPage.getByLabel('API key').fill(stack.keys['hospitala-doctor'] ?? '');
      await doctorPage.getByRole('button', { name: 'Sign in' }).click();
      await doctorPage.locator('#ward-rows tr[data-patient-id="ward-1"]').waitFor();
      await doctorPage.locator('#stream-status[data-state="live"]').waitFor();
      // Respiration 26 scores 3: critical.
      await record('ward-1', { respiratoryRate: 26 });
      const readingId = `ward-r-${seq}`;
      const nurseItem = page.locator(`#alert-list li[data-reading-id="${readingId}"]`);
      const doctorItem = doctorPage.locator(`#alert-list li[data-reading-id="${readingId}"]`);
      await nurseItem.waitFor({ timeout: 2000 });
      await doctorItem.waitFor({ timeout: 2000 });
      await shows(doctorItem.locator('.ack'), 'Not acknowledged');
      await nurseItem.getByRole('button', { name: /^Acknowledge the alert of Ada Lovelace/ }).click();
      await nurseItem
        .locator('.ack', { hasText: /^Acknowledged by nurse of HospitalAMSP at / })
        .waitFor({ timeout: 2000 });
      await doctorItem
        .locator('.ack', { hasText: 'Acknowledged by nurse of HospitalAMSP at' })
        .waitFor({ timeout: 2000 });
      await expect(doctorItem.getByRole('button').count()).resolves.toBe(0);
      // Kept on the ledger: who and when, read back through the API.
      const res = await fetch(
        `${stack.gateway.url}/api/v1/patients/ward-1/vitals/${readingId}/acknowledgement`,
        { headers: { 'x-api-key': stack.keys['hospitala-doctor'] ?? '' } },
      );
      const ack = ((await res.json()) as { data: { acknowledgedBy: { role: string }; flag: string } }).data;
      expect([res.status, ack.acknowledgedBy.role, ack.flag]).toEqual([200, 'nurse', 'critical']);
      await doctorPage.screenshot({
        path: join(artifacts, '2b-doctor-sees-acknowledgement.png'),
        fullPage: true,
      });
    } finally {
      await doctorPage.close();
    }
  });

  it('is laid out as cards on a tablet in portrait', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    const display = await inPage(
      'getComputedStyle(document.querySelector(\'tr[data-patient-id="ward-2"]\')).display',
    );
    expect(display).toBe('grid');
    await expect(row('ward-2').locator('td[data-type="spo2"]').getAttribute('data-label')).resolves.toBe(
      'SpO₂',
    );
    await shot('3-tablet-portrait');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("opens a patient's charts: each vital over the last hour with the abnormal readings marked, and the NEWS2 trend", async () => {
    await page.locator('#ward-rows tr[data-patient-id="ward-3"] button.open-patient').click();
    await page.locator('#patient').waitFor({ state: 'visible' });
    await shows(page.locator('#patient-title'), 'Chiara Rossi (ward-3)');
    // ward-3's pulse: 70, 77, then 135 (critical) — all within the hour.
    const pulse = page.locator('#charts figure[data-type="heartRate"]');
    await pulse.locator('canvas').waitFor();
    await expect(pulse.getAttribute('data-points')).resolves.toBe('3');
    await expect(pulse.getAttribute('data-abnormal')).resolves.toBe('1');
    await shows(
      pulse.locator('figcaption'),
      'Pulse: 3 readings, 1 abnormal or critical (marked ●), latest 135 /min',
    );
    await expect(page.locator('#charts figure[data-type="news2"] canvas').count()).resolves.toBe(1);
    // A nurse may not read lab results or prescriptions (the matrix: doctors); the page says so.
    await page.locator('#lab-list .refused').waitFor();
    await mentions(page.locator('#lab-list'), 'ACCESS_DENIED');
    await expect(page.locator('#patient-access').isHidden()).resolves.toBe(true);
    // A reading arriving while the chart is open is drawn into it.
    await record('ward-3', { heartRate: 80 });
    await pulse.locator('figcaption', { hasText: '4 readings' }).waitFor({ timeout: 2000 });
    await page.getByRole('button', { name: '7 days' }).click();
    await page.locator('#range-status', { hasText: 'readings from' }).waitFor();
    await shot('5-patient-charts');
    await page.getByRole('button', { name: '← Ward' }).click();
    await page.locator('#ward').waitFor({ state: 'visible' });
  });

  it('shows a patient their own access log, and lets them revoke a consent there', async () => {
    const demographics = { name: 'Pat Example', birthDate: '1980-02-03', sex: 'female' };
    expect(await api('hospitala-nurse', '/patients', { patientId: 'patient-1', demographics })).toBe(201);
    await record('patient-1', { heartRate: 72, spo2: 97 });
    const consent = {
      patientId: 'patient-1',
      granteeMspId: 'HospitalBMSP',
      scopes: ['vitals'],
      purpose: 'second opinion',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    };
    expect(await api('hospitala-patient', '/consents', consent)).toBe(201);
    const read = await fetch(`${stack.gateway.url}/api/v1/patients/patient-1/vitals?custodian=HospitalAMSP`, {
      headers: { 'x-api-key': stack.keys['hospitalb-doctor'] ?? '' },
    });
    expect(read.status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('hospitala-patient');
    await page.locator('#ward-rows tr[data-patient-id="patient-1"] button.open-patient').click();
    const log = page.locator('#access-list table.access-log');
    await log.waitFor();
    await mentions(log.locator('tr').nth(1), 'doctor of HospitalBMSP');
    await mentions(log, '(vitals)');
    const pulse = page.locator('#charts figure[data-type="heartRate"]');
    await expect(pulse.getAttribute('data-points')).resolves.toBe('1');
    await shot('6-patient-access-log');
    const item = page.locator('#consent-list li', { hasText: 'HospitalBMSP' });
    await mentions(item, 'active');
    await item.getByRole('button', { name: 'Revoke the consent of HospitalBMSP' }).click();
    await page.locator('#consent-list li', { hasText: 'revoked' }).waitFor({ timeout: 5000 });
    const after = await fetch(
      `${stack.gateway.url}/api/v1/patients/patient-1/vitals?custodian=HospitalAMSP`,
      {
        headers: { 'x-api-key': stack.keys['hospitalb-doctor'] ?? '' },
      },
    );
    expect(after.status).toBe(403);
  });

  it('shows a lab technician no vitals: the ledger lists it no ward', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await inPage("sessionStorage.getItem('careledger.apiKey')")).toBeNull();
    await signIn('lab-technician');
    await shows(page.locator('#who'), 'Signed in as technician of Laboratory (LabMSP, lab)');
    const message = page.locator('#ward-message');
    await message.waitFor({ state: 'visible' });
    await mentions(message, 'ACCESS_DENIED');
    await expect(page.locator('#ward-table').isHidden()).resolves.toBe(true);
    await expect(page.locator('td.vital').count()).resolves.toBe(0);
    await shot('4-lab-technician');
  });

  it('refuses an unknown key and says so', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill('clk_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await mentions(page.getByRole('alert'), /^Sign-in failed: .*\(UNAUTHENTICATED\)$/);
    await expect(page.locator('#ward').isHidden()).resolves.toBe(true);
  });
});
