import { news2SensorParameters, type News2ParameterScore } from '@careledger/contract';
import { formatAge, formatValue, parameterLabels, riskLabel } from './format';
import type { WardReading, WardRow } from './ward-model';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Readonly<{ className?: string; text?: string }> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...children);
  return node;
}

const hidden = (text: string) => el('span', { className: 'visually-hidden', text });

const directionArrow = { low: '↓', high: '↑', none: '' } as const;

function scoreBadge(score: News2ParameterScore): HTMLElement {
  const n = score.score ?? 0;
  const arrow = directionArrow[score.direction ?? 'none'];
  return el(
    'span',
    { className: `sub score-${n}` },
    el('span', { text: `${n}${arrow}` }),
    hidden(
      ` NEWS2 sub-score ${n}${score.direction && score.direction !== 'none' ? `, ${score.direction}` : ''}`,
    ),
  );
}

function vitalCell(
  parameter: (typeof news2SensorParameters)[number],
  reading: WardReading | undefined,
  score: News2ParameterScore | undefined,
  now: number,
): HTMLTableCellElement {
  const td = el('td', { className: 'vital' });
  td.dataset.type = parameter;
  td.dataset.label = parameterLabels[parameter] ?? parameter;
  if (reading === undefined || score === undefined || score.status === 'missing') {
    td.classList.add('missing');
    td.append(
      el('span', { className: 'value', text: '—' }),
      el('span', { className: 'age', text: 'no reading' }),
    );
    return td;
  }
  td.dataset.status = score.status;
  td.classList.add(`score-${score.score ?? 0}`);
  if (score.status === 'stale') td.classList.add('stale');
  const age =
    score.status === 'stale'
      ? `stale: observed ${formatAge(now - Date.parse(reading.observedAt))}`
      : formatAge(now - Date.parse(reading.recordedAt));
  td.append(
    el('span', { className: 'value', text: formatValue(reading) }),
    ' ',
    scoreBadge(score),
    el('span', { className: 'age', text: age }),
  );
  td.title = `observed ${reading.observedAt}, arrived ${reading.recordedAt}`;
  return td;
}

function news2Cell(row: WardRow): HTMLTableCellElement {
  const a = row.aggregate;
  const td = el('td', { className: 'news2' });
  td.dataset.label = 'NEWS2';
  const total = el('span', { className: 'total', text: a.complete ? String(a.total) : `≥ ${a.total}` });
  total.dataset.total = String(a.total);
  const risk = el('span', { className: 'risk', text: riskLabel(a.risk) });
  const note = a.complete
    ? a.response
    : [
        a.missing.length > 0 ? `${a.missing.length} missing` : '',
        a.stale.length > 0 ? `${a.stale.length} stale` : '',
      ]
        .filter(Boolean)
        .join(', ') + ' · partial';
  td.append(total, ' ', risk, el('span', { className: 'note', text: note }));
  td.title = a.summary;
  return td;
}

function noReadingsCell(): HTMLTableCellElement {
  const td = el(
    'td',
    { className: 'news2' },
    el('span', { className: 'total', text: '—' }),
    ' ',
    el('span', { className: 'risk', text: 'No readings' }),
  );
  td.dataset.label = 'NEWS2';
  return td;
}

/** One table row per patient: name and id, NEWS2 total and risk in words, a cell per sensor parameter. */
export function renderRows(tbody: HTMLTableSectionElement, rows: readonly WardRow[], now: number): void {
  const trs = rows.map((row) => {
    // No risk is shown for a patient without any reading, or whose vitals the caller may not read.
    const scored = row.error === undefined && Object.keys(row.latest).length > 0;
    const tr = el('tr', { className: scored ? `risk-${row.aggregate.risk}` : 'risk-none' });
    tr.dataset.patientId = row.patientId;
    if (scored) tr.dataset.risk = row.aggregate.risk;
    const open = el(
      'button',
      { className: 'open-patient' },
      el('span', { className: 'name', text: row.name ?? row.patientId }),
    );
    open.type = 'button';
    open.dataset.patientId = row.patientId;
    open.setAttribute('aria-label', `Open ${row.name ?? row.patientId}: charts and record`);
    const who = el('th', { className: 'patient' }, open);
    who.scope = 'row';
    if (row.name !== undefined) who.append(el('span', { className: 'pid', text: row.patientId }));
    if (row.error !== undefined) {
      const td = el('td', { className: 'unreadable', text: `Vitals not readable: ${row.error}` });
      td.colSpan = 1 + news2SensorParameters.length;
      tr.append(who, td);
      return tr;
    }
    const scores = new Map(row.aggregate.parameters.map((p) => [p.parameter, p]));
    tr.append(
      who,
      scored ? news2Cell(row) : noReadingsCell(),
      ...news2SensorParameters.map((p) => vitalCell(p, row.latest[p], scores.get(p), now)),
    );
    return tr;
  });
  tbody.replaceChildren(...trs);
}
