// Overview: counts per status, pools against their low water, allocations per hour and per track, NIOSXaaS outcomes.
import { call } from './api.js';
import { $, el, svg, replace, formatTime, isoOf } from './dom.js';

const HOUR = 3600 * 1000;

export class Overview {
  constructor() {
    this.stats = null;
    this.pools = null;
  }

  /** Loads and draws everything; resolves to warnings for the operator (empty pool…). */
  async refresh() {
    this.stats = await call('GET', '/v1/admin/stats');
    this.renderCounts();
    this.pools = await call('GET', '/v1/admin/pools');
    this.renderPools();
    const usage = await call('GET', '/v1/admin/tracks');
    this.renderHourly(usage.hourly ?? []);
    this.renderTracks(usage.tracks ?? []);
    this.renderNiosxaas([]);
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

  /** One row per pool, in the server's order (empty, then low, then ok). */
  renderPools() {
    const pools = this.pools?.pools ?? [];
    if (pools.length === 0) {
      replace($('groups-rows'), el('tr', {}, el('td', { colspan: 10, class: 'empty' }, 'No sandboxes in the pool.')));
      return;
    }
    const number = (col, value) => el('td', { class: 'num', 'data-col': col }, value === null || value === undefined ? '–' : String(value));
    replace($('groups-rows'), pools.map((pool) =>
      el('tr', { class: pool.state === 'ok' ? null : pool.state, 'data-group': pool.group, 'data-state': pool.state },
        el('td', {}, pool.group),
        el('td', { 'data-col': 'state' }, pool.state),
        number('available', pool.available),
        number('low_water', pool.low_water),
        number('target', pool.target),
        number('allocated', pool.allocated),
        number('pending_deletion', pool.pending_deletion),
        number('deletion_failed', pool.deletion_failed),
        number('allocations_last_hour', pool.allocations_last_hour),
        el('td', { class: 'num', 'data-col': 'seconds_to_empty' }, timeToEmpty(pool.seconds_to_empty)))));
  }

  /** Allocations of the last 24 UTC hours, from the server's hourly counts. */
  renderHourly(hourly) {
    const buckets = hourly.map((h) => h.allocations ?? 0);
    const firstHour = hourly.length > 0 ? hourly[0].hour * 1000 : Math.floor(Date.now() / HOUR) * HOUR - 23 * HOUR;
    const sum = buckets.reduce((a, b) => a + b, 0);
    const peak = Math.max(0, ...buckets);
    const peakHour = new Date(firstHour + buckets.indexOf(peak) * HOUR);
    $('hourly-summary').textContent = `${sum} allocations in the last 24 h` +
      (sum > 0 ? `; busiest hour ${String(peakHour.getHours()).padStart(2, '0')}:00 with ${peak}` : '');
    $('hourly-summary').dataset.total = String(sum);
    replace($('hourly-chart'), chart(buckets, firstHour));
  }

  renderTracks(tracks) {
    if (tracks.length === 0) {
      replace($('tracks-rows'), el('tr', {}, el('td', { colspan: 5, class: 'empty' }, 'No allocations in the last 7 days.')));
      return;
    }
    replace($('tracks-rows'), tracks.map((track) =>
      el('tr', { 'data-track': track.track },
        el('td', {}, track.track),
        el('td', { class: 'num', 'data-col': 'allocations_24h' }, String(track.allocations_24h)),
        el('td', { class: 'num', 'data-col': 'allocations_7d' }, String(track.allocations_7d)),
        el('td', { class: 'num', 'data-col': 'releases_7d' }, String(track.releases_7d)),
        el('td', { class: 'num', 'data-col': 'mean_seconds_to_release' }, duration(track.mean_seconds_to_release)))));
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

/** "empty now", "–" (nothing allocated in the last hour) or a rough duration. */
function timeToEmpty(seconds) {
  if (seconds === null || seconds === undefined) {
    return '–';
  }
  return seconds === 0 ? 'empty now' : duration(seconds);
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '–';
  }
  if (seconds < 120) {
    return `${seconds} s`;
  }
  if (seconds < 7200) {
    return `${Math.round(seconds / 60)} min`;
  }
  return `${(seconds / 3600).toFixed(1)} h`;
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
