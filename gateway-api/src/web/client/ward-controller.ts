import { news2DefaultMaxAgeMs, type VitalAlert } from '@careledger/contract';
import { ApiProblem, type ApiClient } from './api-client';
import { openEventStream, type EventStream, type StreamStatus } from './event-stream';
import { formatValue, parameterLabels, riskLabel } from './format';
import { WardModel, type WardPatient, type WardReading } from './ward-model';
import { renderRows } from './ward-view';

/** Who is signed in, as `GET /api/v1/session` answers. */
export interface Session {
  readonly identity: string;
  readonly mspId: string;
  readonly role: string;
  readonly patientId?: string;
}

export interface WardElements {
  readonly title: HTMLElement;
  readonly status: HTMLElement;
  readonly message: HTMLElement;
  readonly table: HTMLTableElement;
  readonly rows: HTMLTableSectionElement;
  readonly alerts: HTMLElement;
  readonly alertList: HTMLOListElement;
  readonly announcer: HTMLElement;
}

/** Readings are read back this far at start: a parameter older than twice the window shows as missing. */
const lookbackMs = 2 * news2DefaultMaxAgeMs;
/** A catch-up read also reads readings observed up to this long before the previous read began (late arrivals). */
const overlapMs = 60_000;
/** Readings read at once after notices (the browser has six connections per host; the stream holds one). */
const readsInFlight = 4;
/** Reading ids remembered as read, so that an alert and a notice of one reading read it once. */
const seenKept = 5000;
const relistMs = 15_000;
const redrawMs = 5000;
const alertsShown = 10;

const riskRank = { high: 3, medium: 2, 'low-medium': 1, low: 0 } as const;

/** Who acknowledged an alert and when, as `GET …/vitals/{readingId}/acknowledgement` answers. */
interface Acknowledgement {
  readonly readingId: string;
  readonly patientId: string;
  readonly acknowledgedAt: string;
  readonly acknowledgedBy: { readonly mspId: string; readonly role: string; readonly id: string };
}

/** Roles the permission matrix lets acknowledge alerts (the ledger decides; the page offers the button). */
const acknowledgingRoles = new Set(['nurse', 'doctor']);

/** A `ReadingCommitted` notice of the event stream: ids only. */
interface ReadingNotice {
  readonly patientId: string;
  readonly readingId: string;
  readonly custodianMspId: string;
}

/**
 * The ward view, live: lists the caller's patients, reads their recent readings, then follows
 * the event stream: abnormal and critical readings arrive at once with the reading when the
 * caller may read it, and every committed reading of the ward as an ids-only notice, which it
 * reads by id. Each time the stream (re)connects it reads what was observed since the last read
 * (notices are not replayed). What it may read is the ledger's answer to the caller's own key.
 */
export class WardController {
  readonly #api: ApiClient;
  readonly #session: Session;
  readonly #ui: WardElements;
  readonly #model = new WardModel();
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  readonly #since = new Map<string, number>();
  readonly #risks = new Map<string, number>();
  readonly #seen = new Set<string>();
  /** The alert list's items by reading id. */
  readonly #alertItems = new Map<string, HTMLLIElement>();
  readonly #queue: ReadingNotice[] = [];
  #reading = 0;
  #stream: EventStream | undefined;
  #stopped = false;
  #catchingUp = false;

  readonly #onOpenPatient: ((patientId: string, name: string) => void) | undefined;
  readonly #onReading: ((reading: WardReading) => void) | undefined;

  constructor(
    options: Readonly<{
      api: ApiClient;
      session: Session;
      elements: WardElements;
      /** A patient's row was chosen (its charts and record). */
      onOpenPatient?: (patientId: string, name: string) => void;
      /** Each reading that arrives live (for the open patient view). */
      onReading?: (reading: WardReading) => void;
    }>,
  ) {
    this.#api = options.api;
    this.#session = options.session;
    this.#ui = options.elements;
    this.#onOpenPatient = options.onOpenPatient;
    this.#onReading = options.onReading;
    this.#ui.rows.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button.open-patient');
      const id = button?.dataset.patientId;
      if (id !== undefined) this.#onOpenPatient?.(id, this.#model.nameOf(id));
    });
  }

  async start(): Promise<void> {
    const patients = await this.#listPatients();
    if (patients === undefined || this.#stopped) return;
    this.#model.setPatients(patients);
    await Promise.all(patients.map((p) => this.#readVitals(p.patientId)));
    this.#render(false);
    this.#ui.table.hidden = patients.length === 0;
    void this.#names(patients);
    this.#stream = openEventStream({
      headers: this.#api.headers,
      onEvent: (e) => this.#onEvent(e.event, e.data),
      onStatus: (s, detail) => this.#onStatus(s, detail),
    });
    this.#timers.push(
      setInterval(() => void this.#relist(), relistMs),
      setInterval(() => this.#render(true), redrawMs),
    );
  }

  stop(): void {
    this.#stopped = true;
    this.#stream?.close();
    for (const t of this.#timers) clearInterval(t);
  }

  /** The caller's patients, or undefined (and a message) when the ledger lists none to it. */
  async #listPatients(): Promise<WardPatient[] | undefined> {
    try {
      const patients = await this.#api.getAll<{ patientId: string }>('/patients');
      this.#ui.title.textContent = `Ward — ${patients.length} patient${patients.length === 1 ? '' : 's'}`;
      if (patients.length === 0) this.#show('No patients are registered at this hospital yet.');
      return patients.map((p) => ({ patientId: p.patientId }));
    } catch (err) {
      if (err instanceof ApiProblem && err.status === 403 && this.#session.patientId !== undefined) {
        this.#ui.title.textContent = 'My vital signs';
        return [{ patientId: this.#session.patientId }];
      }
      const why = err instanceof ApiProblem ? `${err.code}: ${err.message}` : String(err);
      this.#ui.title.textContent = 'Ward';
      this.#show(
        `The ledger does not show a ward to a ${this.#session.role} of ${this.#session.mspId} (${why}). No vital signs are shown.`,
      );
      return undefined;
    }
  }

  #show(message: string): void {
    this.#ui.message.textContent = message;
    this.#ui.message.hidden = false;
  }

  /** Names, where the ledger lets the caller read demographics; the id otherwise. */
  async #names(patients: readonly WardPatient[]): Promise<void> {
    const named = await Promise.all(
      patients.map(async (p) => {
        try {
          const answer = await this.#api.get<{ name?: string }>(
            `/patients/${encodeURIComponent(p.patientId)}/demographics`,
          );
          return answer.data.name === undefined ? p : { ...p, name: answer.data.name };
        } catch {
          return p;
        }
      }),
    );
    if (this.#stopped) return;
    this.#model.setPatients(named);
    this.#render(false);
  }

  async #readVitals(patientId: string): Promise<boolean> {
    const started = Date.now();
    const previous = this.#since.get(patientId);
    const from =
      previous === undefined ? started - lookbackMs : Math.max(started - lookbackMs, previous - overlapMs);
    try {
      const readings = await this.#api.getAll<WardReading>(
        `/patients/${encodeURIComponent(patientId)}/vitals`,
        {
          from: new Date(from).toISOString(),
        },
      );
      this.#since.set(patientId, started);
      for (const r of readings) this.#remember(r.readingId);
      return this.#model.addReadings(readings);
    } catch (err) {
      if (err instanceof ApiProblem && (err.status === 403 || err.status === 404)) {
        this.#model.setError(patientId, `${err.code}: ${err.message}`);
        this.#since.set(patientId, started);
        return true;
      }
      return false;
    }
  }

  /** Reads every readable patient's readings observed since its last read (after the stream (re)connects). */
  async #catchUp(): Promise<void> {
    if (this.#catchingUp || this.#stopped) return;
    this.#catchingUp = true;
    try {
      // A refusal is the ledger's answer to this caller: not asked again.
      const readable = this.#model.patientIds().filter((id) => !this.#model.unreadable(id));
      const changed = await Promise.all(readable.map((id) => this.#readVitals(id)));
      if (changed.some(Boolean)) this.#render(true);
    } finally {
      this.#catchingUp = false;
    }
  }

  #remember(readingId: string): boolean {
    if (this.#seen.has(readingId)) return false;
    this.#seen.add(readingId);
    if (this.#seen.size > seenKept) this.#seen.delete(this.#seen.values().next().value ?? '');
    return true;
  }

  /** A committed reading of a ward patient: read it by id, a few at a time. */
  #onNotice(notice: ReadingNotice): void {
    if (!this.#model.has(notice.patientId) || this.#model.unreadable(notice.patientId)) return;
    if (this.#seen.has(notice.readingId)) return;
    this.#queue.push(notice);
    this.#drain();
  }

  #drain(): void {
    while (this.#reading < readsInFlight && this.#queue.length > 0 && !this.#stopped) {
      const notice = this.#queue.shift() as ReadingNotice;
      if (!this.#remember(notice.readingId)) continue;
      this.#reading += 1;
      void this.#readOne(notice).finally(() => {
        this.#reading -= 1;
        this.#drain();
      });
    }
  }

  async #readOne(notice: ReadingNotice): Promise<void> {
    const path = `/patients/${encodeURIComponent(notice.patientId)}/vitals/${encodeURIComponent(notice.readingId)}`;
    try {
      const answer = await this.#api.get<WardReading>(path);
      this.#onReading?.(answer.data);
      if (this.#model.addReadings([answer.data])) this.#render(true);
    } catch (err) {
      this.#seen.delete(notice.readingId);
      if (err instanceof ApiProblem && (err.status === 403 || err.status === 404)) {
        this.#model.setError(notice.patientId, `${err.code}: ${err.message}`);
        this.#render(true);
      }
    }
  }

  async #relist(): Promise<void> {
    if (this.#stopped || document.hidden) return;
    try {
      const patients = await this.#api.getAll<{ patientId: string }>('/patients');
      const known = new Set(this.#model.patientIds());
      const added = patients.filter((p) => !known.has(p.patientId)).map((p) => ({ patientId: p.patientId }));
      if (added.length === 0) return;
      this.#model.setPatients([...this.#model.patientIds().map((patientId) => ({ patientId })), ...added]);
      this.#ui.title.textContent = `Ward — ${patients.length} patients`;
      this.#ui.message.hidden = true;
      this.#ui.table.hidden = false;
      await Promise.all(added.map((p) => this.#readVitals(p.patientId)));
      void this.#names(added);
      this.#render(true);
    } catch {
      // The next round tries again.
    }
  }

  #onEvent(name: string, data: string): void {
    if (name === 'AlertAcknowledged') {
      try {
        void this.#readAcknowledgement(JSON.parse(data) as ReadingNotice);
      } catch {
        // Not a notice this page understands.
      }
      return;
    }
    if (name === 'ReadingCommitted') {
      try {
        this.#onNotice(JSON.parse(data) as ReadingNotice);
      } catch {
        // Not a notice this page understands.
      }
      return;
    }
    if (name !== 'VitalAbnormal') return;
    let alerts: (VitalAlert & { reading?: WardReading })[];
    try {
      alerts = (JSON.parse(data) as { alerts: (VitalAlert & { reading?: WardReading })[] }).alerts;
    } catch {
      return;
    }
    const readings = alerts.flatMap((a) => (a.reading ? [a.reading] : []));
    for (const r of readings) {
      this.#remember(r.readingId);
      this.#onReading?.(r);
    }
    const changed = this.#model.addReadings(readings);
    for (const a of alerts) {
      if (!this.#model.has(a.patientId)) continue;
      this.#alert(a);
      if (a.reading === undefined) this.#onNotice(a);
    }
    if (changed) this.#render(true);
  }

  #alert(alert: VitalAlert & { reading?: WardReading }): void {
    const r = alert.reading;
    const what = r ? `${parameterLabels[r.type] ?? r.type} ${formatValue(r)}` : `reading ${alert.readingId}`;
    const time = new Date(r?.recordedAt ?? Date.now()).toLocaleTimeString();
    if (this.#alertItems.has(alert.readingId)) return;
    const item = document.createElement('li');
    item.className = `alert flag-${alert.flag}`;
    item.dataset.readingId = alert.readingId;
    const text = document.createElement('span');
    text.className = 'alert-text';
    text.textContent = `${time} · ${this.#model.nameOf(alert.patientId)} · ${alert.flag} (sub-score ${alert.news2Score}) · ${what}`;
    const state = document.createElement('span');
    state.className = 'ack';
    state.textContent = 'Not acknowledged';
    item.append(text, ' ', state);
    if (acknowledgingRoles.has(this.#session.role) && alert.custodianMspId === this.#session.mspId) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'ack-button';
      button.textContent = 'Acknowledge';
      button.setAttribute(
        'aria-label',
        `Acknowledge the alert of ${this.#model.nameOf(alert.patientId)}: ${what}`,
      );
      button.addEventListener('click', () => void this.#acknowledge(alert, button));
      item.append(' ', button);
    }
    this.#alertItems.set(alert.readingId, item);
    this.#ui.alertList.prepend(item);
    while (this.#ui.alertList.children.length > alertsShown) {
      const last = this.#ui.alertList.lastElementChild as HTMLLIElement | null;
      if (last?.dataset.readingId !== undefined) this.#alertItems.delete(last.dataset.readingId);
      last?.remove();
    }
    this.#ui.alerts.hidden = false;
  }

  async #acknowledge(alert: VitalAlert, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    const path = `/patients/${encodeURIComponent(alert.patientId)}/vitals/${encodeURIComponent(alert.readingId)}/acknowledgement`;
    try {
      this.#showAcknowledgement((await this.#api.send<Acknowledgement>('POST', path)).data);
    } catch (err) {
      button.disabled = false;
      const state = this.#alertItems.get(alert.readingId)?.querySelector('.ack');
      if (state)
        state.textContent = `Not acknowledged: ${err instanceof ApiProblem ? `${err.code}: ${err.message}` : String(err)}`;
    }
  }

  /** Someone acknowledged an alert of the list: who and when, read on the ledger. */
  async #readAcknowledgement(notice: ReadingNotice): Promise<void> {
    if (!this.#alertItems.has(notice.readingId)) return;
    const path = `/patients/${encodeURIComponent(notice.patientId)}/vitals/${encodeURIComponent(notice.readingId)}/acknowledgement`;
    try {
      this.#showAcknowledgement((await this.#api.get<Acknowledgement>(path)).data);
    } catch {
      // Not readable to this caller: the item stays as it is.
    }
  }

  #showAcknowledgement(ack: Acknowledgement): void {
    const item = this.#alertItems.get(ack.readingId);
    if (item === undefined) return;
    item.classList.add('acknowledged');
    item.querySelector('.ack-button')?.remove();
    const state = item.querySelector('.ack');
    const by = ack.acknowledgedBy;
    if (state) {
      state.textContent = `Acknowledged by ${by.role} of ${by.mspId} at ${new Date(ack.acknowledgedAt).toLocaleTimeString()}`;
    }
  }

  #onStatus(status: StreamStatus, detail?: string): void {
    // What was committed while the stream was not following is read once: notices are not replayed.
    if (status === 'live') void this.#catchUp();
    const text: Record<StreamStatus, string> = {
      connecting: 'Connecting to live updates…',
      live: 'Live: every reading as it is committed',
      reconnecting: 'Live updates interrupted — reconnecting…',
      closed: detail ? `Live updates stopped: ${detail}` : 'Live updates stopped',
    };
    this.#ui.status.textContent = text[status];
    this.#ui.status.dataset.state = status;
  }

  /** Redraws the rows; with `announce`, says which patients' risk rose. */
  #render(announce: boolean): void {
    if (this.#stopped) return;
    const now = Date.now();
    const rows = this.#model.rows(now);
    renderRows(this.#ui.rows, rows, now);
    const rose: string[] = [];
    for (const row of rows) {
      const rank = riskRank[row.aggregate.risk];
      const before = this.#risks.get(row.patientId);
      if (announce && before !== undefined && rank > before) {
        rose.push(
          `${row.name ?? row.patientId}: ${riskLabel(row.aggregate.risk)} risk, NEWS2 ${row.aggregate.total}`,
        );
      }
      this.#risks.set(row.patientId, rank);
    }
    if (rose.length > 0) this.#ui.announcer.textContent = `Risk rose — ${rose.join('; ')}`;
  }
}
