import { ApiProblem, newApiClient } from './api-client';
import { PatientView, type PatientElements } from './patient-view';
import { WardController, type Session, type WardElements } from './ward-controller';

/** The tab's API key: sessionStorage, so it ends with the tab and never reaches other tabs or disk. */
const storageKey = 'careledger.apiKey';

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

let ward: WardController | undefined;
let patient: PatientView | undefined;

function patientElements(): PatientElements {
  return {
    section: byId('patient'),
    title: byId('patient-title'),
    rangeForm: byId<HTMLFormElement>('range-form'),
    from: byId<HTMLInputElement>('range-from'),
    to: byId<HTMLInputElement>('range-to'),
    status: byId('range-status'),
    charts: byId('charts'),
    devices: byId('device-list'),
    labs: byId('lab-list'),
    prescriptions: byId('rx-list'),
    consentsSection: byId('patient-consents'),
    consents: byId('consent-list'),
    consentForm: byId<HTMLFormElement>('consent-form'),
    accessSection: byId('patient-access'),
    accessLog: byId('access-list'),
  };
}

function closePatient(): void {
  patient?.close();
  patient = undefined;
  byId('patient').hidden = true;
}

function showSignIn(error?: string): void {
  closePatient();
  ward?.stop();
  ward = undefined;
  byId('ward').hidden = true;
  byId('who').hidden = true;
  byId('sign-out').hidden = true;
  byId('sign-in').hidden = false;
  byId('sign-in-error').textContent = error ?? '';
  byId<HTMLInputElement>('api-key').focus();
}

function wardElements(): WardElements {
  return {
    title: byId('ward-title'),
    status: byId('stream-status'),
    message: byId('ward-message'),
    table: byId<HTMLTableElement>('ward-table'),
    rows: byId<HTMLTableSectionElement>('ward-rows'),
    alerts: byId('alerts'),
    alertList: byId<HTMLOListElement>('alert-list'),
    announcer: byId('announcer'),
  };
}

function resetWard(ui: WardElements): void {
  ui.message.hidden = true;
  ui.table.hidden = true;
  ui.rows.replaceChildren();
  ui.alerts.hidden = true;
  ui.alertList.replaceChildren();
  ui.status.textContent = '';
  ui.announcer.textContent = '';
}

/** Signs in with `key`: the gateway says whose it is, the ledger what it may read. */
async function signIn(key: string): Promise<void> {
  const api = newApiClient(key);
  let session: Session;
  try {
    session = (await api.get<Session>('/session')).data;
  } catch (err) {
    sessionStorage.removeItem(storageKey);
    const why =
      err instanceof ApiProblem
        ? `${err.message} (${err.code})`
        : 'the gateway does not answer; is it running?';
    showSignIn(`Sign-in failed: ${why}`);
    return;
  }
  sessionStorage.setItem(storageKey, key);
  let org = session.mspId;
  try {
    const o = (
      await api.get<{ name: string; type: string }>(`/organizations/${encodeURIComponent(session.mspId)}`)
    ).data;
    org = `${o.name} (${session.mspId}, ${o.type})`;
  } catch {
    // The registry name is a nicety; the MSP ID says the same.
  }
  byId('who-role').textContent = session.role;
  byId('who-org').textContent = org;
  byId('who').hidden = false;
  byId('sign-out').hidden = false;
  byId('sign-in').hidden = true;
  byId<HTMLInputElement>('api-key').value = '';
  const ui = wardElements();
  resetWard(ui);
  byId('ward').hidden = false;
  ward = new WardController({
    api,
    session,
    elements: ui,
    onOpenPatient: (patientId, name) => {
      closePatient();
      byId('ward').hidden = true;
      patient = new PatientView({ api, session, elements: patientElements(), patientId });
      void patient.open(name);
      byId('back-to-ward').focus();
    },
    onReading: (reading) => patient?.addReading(reading),
  });
  await ward.start();
}

function main(): void {
  byId<HTMLFormElement>('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = byId<HTMLInputElement>('api-key').value.trim();
    if (key) void signIn(key);
  });
  byId('back-to-ward').addEventListener('click', () => {
    closePatient();
    byId('ward').hidden = false;
  });
  byId('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(storageKey);
    showSignIn();
  });
  const key = sessionStorage.getItem(storageKey);
  if (key) void signIn(key);
  else showSignIn();
}

main();
