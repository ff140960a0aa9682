import { news2SensorParameters, type VitalType } from '@careledger/contract';
import uPlot from 'uplot';
import { ApiProblem, type ApiClient } from './api-client';
import { formatValue, parameterLabels } from './format';
import { news2Trend, vitalSeries, type VitalSeries } from './patient-series';
import type { Session } from './ward-controller';
import type { WardReading } from './ward-model';

export interface PatientElements {
  readonly section: HTMLElement;
  readonly title: HTMLElement;
  readonly rangeForm: HTMLFormElement;
  readonly from: HTMLInputElement;
  readonly to: HTMLInputElement;
  readonly status: HTMLElement;
  readonly charts: HTMLElement;
  readonly devices: HTMLElement;
  readonly labs: HTMLElement;
  readonly prescriptions: HTMLElement;
  readonly consentsSection: HTMLElement;
  readonly consents: HTMLElement;
  readonly consentForm: HTMLFormElement;
  readonly accessSection: HTMLElement;
  readonly accessLog: HTMLElement;
}

interface Consent {
  readonly consentId: string;
  readonly granteeMspId: string;
  readonly granteeRole?: string;
  readonly scopes: readonly string[];
  readonly purpose: string;
  readonly validUntil: string;
  readonly status: string;
}

interface AccessEntry {
  readonly at: string;
  readonly accessor: { readonly mspId: string; readonly role: string };
  readonly action: string;
  readonly scope: string;
  readonly basis: string;
}

export const ranges = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
/** Readings read for one range at most (the chart of a week of 1-per-second readings would not be read). */
const maxReadings = 20_000;
const chartTypes: readonly VitalType[] = news2SensorParameters;
const colours = ['#0b4f8a', '#6a3d9a', '#1b7837', '#8c510a', '#b2182b'];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function problem(err: unknown): string {
  return err instanceof ApiProblem ? `${err.code}: ${err.message}` : String(err);
}

/**
 * One patient: charts of each vital over a range (abnormal and critical readings marked) and of
 * the aggregate NEWS2, the devices the readings came from, lab results and prescriptions as far
 * as the ledger lets the caller read them; for the patient, their consents (grant, revoke) and
 * who read their record. Every list is the ledger's answer to the caller's own key.
 */
export class PatientView {
  readonly #api: ApiClient;
  readonly #session: Session;
  readonly #ui: PatientElements;
  readonly #patientId: string;
  readonly #charts: uPlot[] = [];
  #readings = new Map<string, WardReading>();
  #range: { from: number; to: number; live: boolean } = { from: 0, to: 0, live: true };
  #closed = false;
  readonly #listeners: AbortController = new AbortController();

  constructor(
    options: Readonly<{ api: ApiClient; session: Session; elements: PatientElements; patientId: string }>,
  ) {
    this.#api = options.api;
    this.#session = options.session;
    this.#ui = options.elements;
    this.#patientId = options.patientId;
  }

  get patientId(): string {
    return this.#patientId;
  }

  async open(name: string): Promise<void> {
    const ui = this.#ui;
    ui.title.textContent = name === this.#patientId ? `Patient ${name}` : `${name} (${this.#patientId})`;
    const signal = this.#listeners.signal;
    for (const button of ui.rangeForm.querySelectorAll<HTMLButtonElement>('button[data-range]')) {
      button.addEventListener(
        'click',
        () => void this.showLast(ranges[button.dataset.range as keyof typeof ranges] ?? ranges['1h']),
        { signal },
      );
    }
    ui.rangeForm.addEventListener(
      'submit',
      (event) => {
        event.preventDefault();
        const from = Date.parse(ui.from.value);
        const to = Date.parse(ui.to.value);
        if (Number.isNaN(from) || Number.isNaN(to) || from >= to) {
          ui.status.textContent = 'Choose a start before the end.';
          return;
        }
        void this.show(from, to, false);
      },
      { signal },
    );
    const own = this.#session.role === 'patient' && this.#session.patientId === this.#patientId;
    ui.consentsSection.hidden = !own;
    ui.accessSection.hidden = !own;
    if (own) {
      ui.consentForm.addEventListener(
        'submit',
        (event) => {
          event.preventDefault();
          void this.#grant();
        },
        { signal },
      );
    }
    ui.section.hidden = false;
    await Promise.all([
      this.showLast(ranges['1h']),
      this.#list(
        ui.labs,
        'lab-results',
        (r: {
          display?: string;
          loinc: string;
          value?: number;
          valueText?: string;
          unit: string;
          observedAt: string;
          labMspId: string;
        }) =>
          `${new Date(r.observedAt).toLocaleString()} · ${r.display ?? r.loinc}: ${r.value ?? r.valueText ?? ''} ${r.unit} (${r.labMspId})`,
      ),
      this.#list(
        ui.prescriptions,
        'prescriptions',
        (r: { medication: string; dosage: string; quantity: number; dispensedQuantity?: number }) =>
          `${r.medication} · ${r.dosage} · ${r.dispensedQuantity ?? 0} of ${r.quantity} dispensed`,
      ),
      own ? this.#showConsents() : Promise.resolve(),
      own ? this.#showAccessLog() : Promise.resolve(),
    ]);
  }

  close(): void {
    this.#closed = true;
    this.#listeners.abort();
    for (const chart of this.#charts.splice(0)) chart.destroy();
    this.#ui.section.hidden = true;
  }

  showLast(ms: number): Promise<void> {
    const to = Date.now();
    return this.show(to - ms, to, true);
  }

  /** Reads the readings observed in [from, to) and draws them. */
  async show(from: number, to: number, live: boolean): Promise<void> {
    this.#range = { from, to, live };
    const ui = this.#ui;
    ui.from.value = localInput(from);
    ui.to.value = localInput(to);
    ui.status.textContent = 'Reading…';
    const readings: WardReading[] = [];
    try {
      let bookmark: string | undefined;
      do {
        const page = await this.#api.get<WardReading[]>(
          `/patients/${encodeURIComponent(this.#patientId)}/vitals`,
          {
            from: new Date(from).toISOString(),
            to: new Date(to).toISOString(),
            pageSize: '200',
            bookmark,
          },
        );
        readings.push(...page.data);
        bookmark = page.page?.bookmark || undefined;
      } while (bookmark !== undefined && readings.length < maxReadings && !this.#closed);
    } catch (err) {
      ui.status.textContent = `Vitals not readable: ${problem(err)}`;
      this.#draw([]);
      return;
    }
    if (this.#closed) return;
    this.#readings = new Map(readings.map((r) => [r.readingId, r]));
    const capped =
      readings.length >= maxReadings ? ` (the first ${maxReadings}; choose a shorter range)` : '';
    ui.status.textContent = `${readings.length} readings from ${new Date(from).toLocaleString()} to ${new Date(to).toLocaleString()}${capped}`;
    this.#draw(readings);
  }

  /** A reading that arrived while the view follows the present (the ward's event stream). */
  addReading(reading: WardReading): void {
    if (this.#closed || reading.patientId !== this.#patientId || !this.#range.live) return;
    if (this.#readings.has(reading.readingId)) return;
    this.#readings.set(reading.readingId, reading);
    const width = this.#range.to - this.#range.from;
    this.#range = { ...this.#range, to: Date.now(), from: Date.now() - width };
    this.#draw([...this.#readings.values()]);
  }

  #draw(readings: readonly WardReading[]): void {
    for (const chart of this.#charts.splice(0)) chart.destroy();
    const ui = this.#ui;
    const width = Math.max(320, Math.min(900, ui.charts.clientWidth || 720));
    const figures: HTMLElement[] = [];
    const makers: (() => uPlot)[] = [];
    const { from, to } = this.#range;
    const scaleX = { x: { time: true, min: from / 1000, max: to / 1000 } };
    vitalSeries(readings, chartTypes).forEach((series, i) => {
      const { figure, make } = this.#figure(series, width, colours[i % colours.length] ?? '#333', scaleX);
      figures.push(figure);
      if (make) makers.push(make);
    });
    const trend = news2Trend(readings, from, to);
    const figure = el('figure', undefined, 'chart');
    figure.dataset.type = 'news2';
    figure.dataset.points = String(trend.x.length);
    const caption = el(
      'figcaption',
      trend.x.length === 0
        ? 'NEWS2: no readings in this range'
        : `NEWS2 over time: ${trend.x.length} points, highest ${Math.max(...trend.total)}, latest ${trend.total.at(-1) ?? 0}${trend.complete.every(Boolean) ? '' : ' (partial sets count missing parameters as 0)'}`,
    );
    const plot = el('div', undefined, 'plot');
    figure.append(caption, plot);
    figures.push(figure);
    ui.charts.replaceChildren(...figures);
    // Once the figures are in the document: uPlot measures its legend.
    for (const make of makers) this.#charts.push(make());
    this.#charts.push(
      new uPlot(
        {
          width,
          height: 160,
          scales: { ...scaleX, y: { range: [0, 20] } },
          series: [{}, { label: 'NEWS2 total', stroke: '#222', width: 2, points: { show: true, size: 4 } }],
        },
        [trend.x, trend.total],
        plot,
      ),
    );
    const devices = [...new Set(readings.flatMap((r) => (r.deviceId === undefined ? [] : [r.deviceId])))];
    ui.devices.replaceChildren(
      ...(devices.length === 0
        ? [el('li', 'No device sent readings in this range.')]
        : devices.map((d) => el('li', d))),
    );
  }

  #figure(
    series: VitalSeries,
    width: number,
    stroke: string,
    scaleX: uPlot.Scales,
  ): { figure: HTMLElement; make?: () => uPlot } {
    const label = parameterLabels[series.type] ?? series.type;
    const figure = el('figure', undefined, 'chart');
    figure.dataset.type = series.type;
    figure.dataset.points = String(series.x.length);
    figure.dataset.abnormal = String(series.abnormal);
    const last = series.y.length - 1;
    const latest =
      last < 0
        ? ''
        : `, latest ${formatValue({ type: series.type, value: series.y[last], systolic: series.y[last], diastolic: series.y2?.[last] })}`;
    figure.append(
      el(
        'figcaption',
        series.x.length === 0
          ? `${label}: no readings in this range`
          : `${label}: ${series.x.length} readings, ${series.abnormal} abnormal or critical (marked ●)${latest}`,
      ),
    );
    const plot = el('div', undefined, 'plot');
    figure.append(plot);
    if (series.x.length === 0) return { figure };
    const lines: uPlot.Series[] = [
      {},
      { label: series.type === 'bloodPressure' ? 'Systolic' : label, stroke, width: 2 },
      ...(series.y2 ? [{ label: 'Diastolic', stroke, width: 1, dash: [4, 4] }] : []),
      {
        label: 'Abnormal or critical',
        stroke: '#b00020',
        width: 0,
        paths: () => null,
        points: { show: true, size: 9, fill: '#b00020', stroke: '#b00020' },
      },
    ];
    const data: uPlot.AlignedData = [series.x, series.y, ...(series.y2 ? [series.y2] : []), series.alerts];
    return {
      figure,
      make: () => new uPlot({ width, height: 160, scales: scaleX, series: lines }, data, plot),
    };
  }

  async #list<T>(target: HTMLElement, what: string, line: (record: T) => string): Promise<void> {
    try {
      const records = await this.#api.getAll<T>(`/patients/${encodeURIComponent(this.#patientId)}/${what}`);
      const list = el('ul');
      list.append(...(records.length === 0 ? [el('li', 'None.')] : records.map((r) => el('li', line(r)))));
      target.replaceChildren(list);
    } catch (err) {
      target.replaceChildren(el('p', `Not readable for a ${this.#session.role}: ${problem(err)}`, 'refused'));
    }
  }

  async #showConsents(): Promise<void> {
    const ui = this.#ui;
    try {
      const consents = await this.#api.getAll<Consent>(
        `/patients/${encodeURIComponent(this.#patientId)}/consents`,
      );
      const list = el('ul');
      for (const c of consents) {
        const item = el(
          'li',
          `${c.granteeMspId}${c.granteeRole ? ` (${c.granteeRole})` : ''} · ${c.scopes.join(', ')} · ${c.purpose} · until ${new Date(c.validUntil).toLocaleDateString()} · ${c.status}`,
        );
        item.dataset.consentId = c.consentId;
        if (c.status === 'active') {
          const revoke = el('button', 'Revoke');
          revoke.type = 'button';
          revoke.setAttribute('aria-label', `Revoke the consent of ${c.granteeMspId}`);
          revoke.addEventListener('click', () => void this.#revoke(c.consentId));
          item.append(' ', revoke);
        }
        list.append(item);
      }
      if (consents.length === 0) list.append(el('li', 'You have granted no consent.'));
      ui.consents.replaceChildren(list);
    } catch (err) {
      ui.consents.replaceChildren(el('p', problem(err), 'refused'));
    }
  }

  async #revoke(consentId: string): Promise<void> {
    try {
      await this.#api.send(
        'DELETE',
        `/patients/${encodeURIComponent(this.#patientId)}/consents/${encodeURIComponent(consentId)}`,
      );
    } catch (err) {
      this.#ui.consents.prepend(el('p', `Not revoked: ${problem(err)}`, 'refused'));
      return;
    }
    await this.#showConsents();
  }

  async #grant(): Promise<void> {
    const form = new FormData(this.#ui.consentForm);
    const text = (name: string): string => {
      const value = form.get(name);
      return typeof value === 'string' ? value : '';
    };
    const validUntil = Date.parse(text('validUntil'));
    const body = {
      patientId: this.#patientId,
      granteeMspId: text('granteeMspId'),
      scopes: form.getAll('scopes').filter((v): v is string => typeof v === 'string'),
      purpose: text('purpose').trim(),
      validUntil: Number.isNaN(validUntil) ? '' : new Date(validUntil).toISOString(),
    };
    const note = this.#ui.consentForm.querySelector('.form-status');
    try {
      await this.#api.send('POST', '/consents', body);
      if (note) note.textContent = `Consent granted to ${body.granteeMspId}.`;
      this.#ui.consentForm.reset();
    } catch (err) {
      if (note) note.textContent = `Not granted: ${problem(err)}`;
      return;
    }
    await this.#showConsents();
  }

  async #showAccessLog(): Promise<void> {
    const ui = this.#ui;
    try {
      const entries = await this.#api.getAll<AccessEntry>(
        `/patients/${encodeURIComponent(this.#patientId)}/access-log`,
      );
      const table = el('table', undefined, 'access-log');
      const head = el('tr');
      for (const h of ['When', 'Who', 'What', 'On what basis']) {
        const th = el('th', h);
        th.scope = 'col';
        head.append(th);
      }
      table.append(el('caption', 'Every read of your record by another organisation, newest last'), head);
      for (const e of entries) {
        const tr = el('tr');
        tr.append(
          el('td', new Date(e.at).toLocaleString()),
          el('td', `${e.accessor.role} of ${e.accessor.mspId}`),
          el('td', `${e.action} (${e.scope})`),
          el('td', e.basis),
        );
        table.append(tr);
      }
      if (entries.length === 0) {
        const td = el('td', 'Nobody outside your hospital has read your record.');
        td.colSpan = 4;
        const tr = el('tr');
        tr.append(td);
        table.append(tr);
      }
      ui.accessLog.replaceChildren(table);
    } catch (err) {
      ui.accessLog.replaceChildren(el('p', problem(err), 'refused'));
    }
  }
}

/** A time as a datetime-local input's value (local time, minutes). */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
