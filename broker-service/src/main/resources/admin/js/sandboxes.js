// Sandboxes: a table paged through the API cursor, filtered and searched in the browser, exportable as CSV.
import { call, listPath, ApiError } from './api.js';
import { $, el, replace, timeCell, nameGroup, confirmAction } from './dom.js';
import { toCsv, download } from './csv.js';

const CSV_COLUMNS = ['sandbox_id', 'name', 'external_id', 'status', 'allocated_to_track', 'track_name',
  'idempotency_key', 'allocated_at', 'expires_at', 'deletion_requested_at', 'deletion_retry_count',
  'last_synced', 'sfdc_account_id', 'created_at', 'updated_at'];

export class SandboxTable {
  /** @param notify (kind, text) shows a message; @param afterChange runs after an action changed data */
  constructor(notify, afterChange) {
    this.notify = notify;
    this.afterChange = afterChange;
    this.rows = [];
    this.cursor = null;
    this.pages = 0;
    this.done = false;
    this.knownGroups = [];
    $('filter-status').addEventListener('change', () => this.reload(1).catch((e) => notify('error', e.message)));
    $('page-size').addEventListener('change', () => this.reload(1).catch((e) => notify('error', e.message)));
    for (const id of ['filter-group', 'filter-track']) {
      $(id).addEventListener('change', () => this.render());
    }
    $('filter-search').addEventListener('input', () => this.render());
    $('load-more').addEventListener('click', () => this.loadPage().catch((e) => notify('error', e.message)));
    $('export-csv').addEventListener('click', () => this.exportCsv());
  }

  /** Name groups the overview knows of, so the filter offers them before their rows are loaded. */
  setGroups(groups) {
    this.knownGroups = groups;
    this.renderOptions();
  }

  /** Reloads from the first page, as many pages as were loaded (auto-refresh keeps the operator's place). */
  async refresh() {
    await this.reload(Math.max(1, this.pages));
  }

  async reload(pages) {
    const rows = [];
    let cursor = null;
    let loaded = 0;
    do {
      const page = await call('GET', listPath($('filter-status').value, $('page-size').value, cursor));
      rows.push(...(page.sandboxes ?? []));
      cursor = page.cursor ?? null;
      loaded++;
    } while (cursor && loaded < pages);
    this.rows = rows;
    this.cursor = cursor;
    this.pages = loaded;
    this.done = !cursor;
    this.render();
  }

  async loadPage() {
    if (this.done) {
      return;
    }
    if (this.pages === 0) {
      await this.reload(1);
      return;
    }
    const page = await call('GET', listPath($('filter-status').value, $('page-size').value, this.cursor));
    this.rows.push(...(page.sandboxes ?? []));
    this.cursor = page.cursor ?? null;
    this.pages++;
    this.done = !this.cursor;
    this.render();
  }

  /** The loaded rows that pass the group, track and search filters. */
  shown() {
    const group = $('filter-group').value;
    const track = $('filter-track').value;
    const search = $('filter-search').value.trim().toLowerCase();
    return this.rows.filter((row) => (!group || nameGroup(row.name) === group)
      && (!track || (row.track_name ?? '') === track)
      && (!search || [row.sandbox_id, row.name, row.allocated_to_track]
        .some((v) => v && String(v).toLowerCase().includes(search))));
  }

  renderOptions() {
    const groups = new Set(this.knownGroups);
    const tracks = new Set();
    for (const row of this.rows) {
      groups.add(nameGroup(row.name));
      if (row.track_name) {
        tracks.add(row.track_name);
      }
    }
    fillSelect($('filter-group'), [...groups].sort());
    fillSelect($('filter-track'), [...tracks].sort());
  }

  render() {
    this.renderOptions();
    const shown = this.shown();
    const body = $('sandbox-rows');
    if (shown.length === 0) {
      const text = this.rows.length === 0 ? 'No sandboxes with this status.' : 'No loaded row matches the filters.';
      replace(body, el('tr', {}, el('td', { colspan: 10, class: 'empty' }, text)));
    } else {
      replace(body, shown.map((row) => this.row(row)));
    }
    const summary = $('rows-summary');
    summary.textContent = `Showing ${shown.length} of ${this.rows.length} loaded rows (${this.pages} ` +
      `page${this.pages === 1 ? '' : 's'}) · ${this.done ? 'all loaded' : 'more on the server'}`;
    summary.dataset.shown = String(shown.length);
    summary.dataset.loaded = String(this.rows.length);
    summary.dataset.done = String(this.done);
    $('load-more').disabled = this.done;
  }

  row(row) {
    const retry = row.status === 'deletion_failed'
      ? el('button', { type: 'button', class: 'small', 'data-retry': row.sandbox_id,
        onclick: () => this.retryDeletion(row) }, 'Retry deletion')
      : null;
    return el('tr', { 'data-id': row.sandbox_id },
      el('td', {}, el('code', {}, row.sandbox_id)),
      el('td', {}, row.name ?? ''),
      el('td', {}, el('span', { class: `status ${row.status}` }, row.status)),
      el('td', {}, row.allocated_to_track ?? ''),
      el('td', {}, row.track_name ?? ''),
      el('td', {}, timeCell(row.allocated_at)),
      el('td', {}, timeCell(row.expires_at)),
      el('td', { class: 'num' }, String(row.deletion_retry_count ?? 0)),
      el('td', {}, timeCell(row.last_synced)),
      el('td', {}, retry));
  }

  async retryDeletion(row) {
    if (!await confirmAction(`Retry the deletion of sandbox ${row.sandbox_id} (${row.name})? ` +
      'It goes back to pending_deletion and the cleanup job tries again.')) {
      return;
    }
    try {
      const result = await call('POST', `/v1/admin/sandboxes/${encodeURIComponent(row.sandbox_id)}/retry-deletion`);
      this.notify('info', `Sandbox ${row.sandbox_id} is ${result.status ?? 'pending_deletion'} again.`);
      await this.afterChange();
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'missing') {
        this.notify('info', 'Retry deletion is not available yet on this API.');
      } else {
        this.notify('error', e.message);
      }
    }
  }

  exportCsv() {
    const rows = this.shown();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    download(toCsv(rows, CSV_COLUMNS), `sandboxes-${stamp}.csv`);
    this.notify('info', `Exported ${rows.length} rows as CSV.`);
  }
}

function fillSelect(select, values) {
  const current = select.value;
  replace(select, el('option', { value: '' }, 'any'), values.map((v) => el('option', { value: v }, v)));
  select.value = values.includes(current) ? current : '';
}
