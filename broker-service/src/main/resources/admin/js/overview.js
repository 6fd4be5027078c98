// Overview: counts per status, availability per name group, allocations per hour, NIOSXaaS outcomes.
import { call, listAll } from './api.js';
import { $, el, svg, replace, formatTime, toDate, isoOf } from './dom.js';

const LOW_WATER_KEY = 'sandbox-broker.low-water';
const DEFAULT_LOW_WATER = 5;
const HOUR = 3600 * 1000;
// Statuses whose sandboxes carry allocated_at; available and stale ones never were allocated.
const ALLOCATED_ONCE = ['allocated', 'pending_deletion', 'deleted', 'deletion_failed'];
const GROUP_COLUMNS = ['available', 'allocated', 'pending_deletion', 'deletion_failed', 'stale'];

export class Overview {
  constructor() {
    this.stats = null;
    const input = $('low-water');
    input.value = String(this.lowWater());
    input.addEventListener('input', () => {
      const value = Number.parseInt(input.value, 10);
      if (Number.isInteger(value) && value >= 0) {
        localStorage.setItem(LOW_WATER_KEY, String(value));
        this.renderGroups();
      }
    });
  }

  lowWater() {
    const stored = Number.parseInt(localStorage.getItem(LOW_WATER_KEY) ?? '', 10);
    return Number.isInteger(stored) && stored >= 0 ? stored : DEFAULT_LOW_WATER;
  }

  /** Loads and draws everything; resolves to warnings for the operator (empty pool…). */
  async refresh() {
    this.stats = await call('GET', '/v1/admin/stats');
    this.renderCounts();
    this.renderGroups();
    const history = await allocatedOnce();
    this.renderHourly(history);
    this.renderNiosxaas(history.rows);
    return warnings(this.stats);
  }

  renderCounts() {
    const { by_status: byStatus = {}, total = 0, computed_at: computedAt } = this.stats;
    const time = $('stats-computed-at');
    time.textContent = formatTime(computedAt);
    time.setAttribute('datetime', isoOf(computedAt));
    $('count-total').textContent = String(total);
    replace($('status-counts'), Object.entries(byStatus).map(([status, count]) =>
      el('div', { class: `stat ${status}${count > 0 ? ' nonzero' : ''}`, 'data-status': status },
        el('span', { class: 'stat-label' }, status.replaceAll('_', ' ')),
        el('span', { class: 'stat-value', id: `count-${status}` }, String(count)))));
  }

  renderGroups() {
    if (!this.stats) {
      return;
    }
    const lowWater = this.lowWater();
    const groups = Object.entries(this.stats.by_group ?? {});
    if (groups.length === 0) {
      replace($('groups-rows'), el('tr', {}, el('td', { colspan: 7, class: 'empty' }, 'No sandboxes in the pool.')));
      return;
    }
    replace($('groups-rows'), groups.map(([group, counts]) => {
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const low = (counts.available ?? 0) < lowWater;
      return el('tr', { class: low ? 'low' : null, 'data-group': group },
        el('td', {}, group),
        GROUP_COLUMNS.map((c) => el('td', { class: 'num', 'data-col': c }, String(counts[c] ?? 0))),
        el('td', { class: 'num' }, String(total)));
    }));
  }

  renderHourly({ rows, complete }) {
    const now = Date.now();
    const firstHour = Math.floor(now / HOUR) * HOUR - 23 * HOUR;
    const buckets = new Array(24).fill(0);
    for (const row of rows) {
      const at = toDate(row.allocated_at)?.getTime() ?? NaN;
      if (!Number.isNaN(at) && at >= firstHour && at <= now) {
        buckets[Math.min(23, Math.floor((at - firstHour) / HOUR))]++;
      }
    }
    const sum = buckets.reduce((a, b) => a + b, 0);
    const peak = Math.max(...buckets);
    const peakHour = new Date(firstHour + buckets.indexOf(peak) * HOUR);
    $('hourly-summary').textContent = `${sum} allocations in the last 24 h` +
      (sum > 0 ? `; busiest hour ${String(peakHour.getHours()).padStart(2, '0')}:00 with ${peak}` : '') +
      (complete ? '' : ' (partial: only the first pages of the history were read)');
    $('hourly-summary').dataset.total = String(sum);
    replace($('hourly-chart'), chart(buckets, firstHour));
  }

  renderNiosxaas(rows) {
    const outcomes = niosxaasOutcomes(this.stats, rows);
    const box = $('niosxaas');
    if (!outcomes) {
      replace(box, el('p', { class: 'na', id: 'niosxaas-na' },
        'Not available yet: this API does not report NIOSXaaS clean-up outcomes.'),
        el('p', { class: 'muted' }, `Pending deletion now: ${this.stats.by_status?.pending_deletion ?? 0}`));
      return;
    }
    replace(box, el('div', { class: 'stats niosxaas' },
      ['cleaned', 'skipped', 'failed', 'pending'].map((k) => el('div', { class: `stat ${k}` },
        el('span', { class: 'stat-label' }, k),
        el('span', { class: 'stat-value', id: `niosxaas-${k}` }, String(outcomes[k] ?? 0))))));
  }
}

/** Sandboxes that were allocated at some point (for the hourly chart), page by page. */
async function allocatedOnce() {
  const rows = [];
  let complete = true;
  for (const status of ALLOCATED_ONCE) {
    const result = await listAll(status, 20);
    rows.push(...result.rows);
    complete = complete && result.complete;
  }
  return { rows, complete };
}

function warnings(stats) {
  const available = stats.by_status?.available ?? 0;
  if ((stats.total ?? 0) === 0) {
    return ['The pool is empty: the table holds no sandboxes at all. Has the sync job run? (Jobs → Run sync now)'];
  }
  if (available === 0) {
    return ['No sandbox is available: every lab start gets 409 NO_SANDBOXES_AVAILABLE until sync finds new ones.'];
  }
  return [];
}

/**
 * NIOSXaaS clean-up outcomes as {cleaned, skipped, failed, pending}, from whichever form the API
 * offers: a summary in the stats, or an outcome on each sandbox's history; null when neither.
 */
export function niosxaasOutcomes(stats, rows) {
  const summary = stats.niosxaas ?? stats.niosxaas_outcomes ?? stats.cleanup_outcomes;
  if (summary && typeof summary === 'object') {
    return summary;
  }
  const field = (row) => row.niosxaas_outcome ?? row.niosxaas?.outcome ?? row.niosxaas_status;
  if (!rows.some((row) => field(row) !== undefined)) {
    return null;
  }
  const counts = { cleaned: 0, skipped: 0, failed: 0, pending: 0 };
  for (const row of rows) {
    const kind = String(field(row) ?? '').toLowerCase();
    if (kind === 'cleaned') {
      counts.cleaned++;
    } else if (kind === 'failed') {
      counts.failed++;
    } else if (kind === '' || kind === 'pending') {
      counts.pending += row.status === 'pending_deletion' ? 1 : 0;
    } else {
      counts.skipped++; // nothing_to_clean, shadow, disabled
    }
  }
  counts.pending = Math.max(counts.pending, stats.by_status?.pending_deletion ?? 0);
  return counts;
}

function chart(buckets, firstHour) {
  const width = 1000;
  const height = 180;
  const left = 30;
  const bottom = 20;
  const top = 10;
  const max = Math.max(1, ...buckets);
  const slot = (width - left) / buckets.length;
  const scale = (height - bottom - top) / max;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': 'Allocations per hour over the last 24 hours', id: 'hourly-svg' });
  root.append(svg('line', { className: 'axis', x1: left, y1: height - bottom, x2: width, y2: height - bottom }));
  root.append(svg('text', { x: 0, y: top + 8 }, String(max)));
  root.append(svg('text', { x: 0, y: height - bottom }, '0'));
  buckets.forEach((count, i) => {
    const hour = new Date(firstHour + i * 3600 * 1000).getHours();
    const barHeight = count * scale;
    const bar = svg('rect', { className: 'bar', x: left + i * slot + 2, y: height - bottom - barHeight,
      width: slot - 4, height: barHeight, 'data-hour': hour, 'data-count': count });
    bar.append(svg('title', {}, `${String(hour).padStart(2, '0')}:00 – ${count} allocations`));
    root.append(bar);
    if (i % 3 === 0 || i === buckets.length - 1) {
      root.append(svg('text', { x: left + i * slot + 2, y: height - 5 }, `${String(hour).padStart(2, '0')}h`));
    }
  });
  return root;
}
