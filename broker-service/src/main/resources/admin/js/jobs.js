// Jobs: schedules, next firings and last runs; cluster nodes; runs on demand.
import { call, ApiError } from './api.js';
import { $, el, replace, timeCell, formatTime, formatDuration, confirmAction } from './dom.js';

export class Jobs {
  constructor(notify, afterChange) {
    this.notify = notify;
    this.afterChange = afterChange;
    this.requested = []; // {runId, job, at, run}
    this.view = null;
    $('run-sync').addEventListener('click', () => this.runNow('sync'));
    $('run-cleanup').addEventListener('click', () => this.runNow('cleanup'));
  }

  async refresh() {
    this.view = await call('GET', '/v1/admin/jobs');
    this.render();
    return this.warnings();
  }

  warnings() {
    const nodes = this.view?.nodes ?? [];
    if (nodes.every((n) => !n.alive)) {
      return ['No live jobs process: schedules and runs requested from this page wait until one starts.'];
    }
    return [];
  }

  render() {
    const jobs = this.view.jobs ?? [];
    replace($('jobs-rows'), jobs.length === 0
      ? el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'No jobs are scheduled.'))
      : jobs.map((job) => el('tr', { 'data-job': job.name },
        el('td', {}, job.name),
        el('td', {}, job.schedule ?? ''),
        el('td', {}, timeCell(job.next_fire_time)),
        el('td', {}, runsTable(job.last_runs)))));
    const nodes = this.view.nodes ?? [];
    replace($('nodes-rows'), nodes.length === 0
      ? el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'No jobs process has checked in.'))
      : nodes.map((node) => el('tr', { 'data-node': node.instance_id },
        el('td', {}, node.instance_id),
        el('td', {}, timeCell(node.last_checkin)),
        el('td', { class: 'num' }, formatDuration(node.checkin_interval_ms)),
        el('td', { class: node.alive ? 'outcome-completed' : 'outcome-failed' }, node.alive ? 'alive' : 'missing'))));
    this.matchRequested(jobs);
    this.renderRequested();
  }

  /** Marks requested runs finished once the API lists them among a job's last runs. */
  matchRequested(jobs) {
    for (const request of this.requested) {
      const job = jobs.find((j) => j.name === request.job);
      request.historyKnown = Array.isArray(job?.last_runs);
      request.run = job?.last_runs?.find((r) => r.run_id === request.runId) ?? request.run;
    }
  }

  renderRequested() {
    const list = $('requested-runs');
    if (this.requested.length === 0) {
      replace(list, el('li', { class: 'muted' }, 'none yet'));
      return;
    }
    replace(list, this.requested.map((r) => {
      const state = r.run
        ? `${r.run.finished_at ? 'finished' : 'running'}: ${r.run.outcome ?? '…'} on ${r.run.node ?? '?'}` +
          (r.run.duration_ms !== undefined ? ` in ${formatDuration(r.run.duration_ms)}` : '')
        : r.historyKnown === false ? 'queued (run history not available yet on this API)' : 'queued';
      return el('li', { 'data-run-id': r.runId, 'data-state': r.run ? 'seen' : 'queued' },
        el('strong', {}, r.job), ` · run `, el('code', {}, r.runId), ` · requested ${formatTime(r.at)} · ${state}`);
    }));
  }

  async runNow(job) {
    if (!await confirmAction(`Run ${job} now? A jobs process of the cluster picks it up within seconds.`)) {
      return;
    }
    try {
      const result = await call('POST', `/v1/admin/${job}`);
      this.requested.unshift({ runId: result.run_id, job: result.job ?? job, at: Math.floor(Date.now() / 1000), run: null });
      this.requested.length = Math.min(this.requested.length, 10);
      this.renderRequested();
      this.notify('info', `${job} queued as run ${result.run_id}.`);
      // Look again soon: a run usually finishes within seconds.
      setTimeout(() => this.afterChange(), 3000);
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'missing') {
        this.notify('info', `Running ${job} on demand is not available yet on this API.`);
      } else {
        this.notify('error', e.message);
      }
    }
  }
}

function runsTable(runs) {
  if (!Array.isArray(runs)) {
    return el('span', { class: 'na' }, 'not available yet');
  }
  if (runs.length === 0) {
    return el('span', { class: 'muted' }, 'no runs yet');
  }
  return el('table', { class: 'runs' },
    el('tr', {}, ['Started', 'Node', 'Outcome', 'Counts', 'Duration'].map((h) => el('th', {}, h))),
    runs.map((run) => el('tr', { 'data-run-id': run.run_id },
      el('td', {}, timeCell(run.started_at)),
      el('td', {}, run.node ?? ''),
      el('td', { class: `outcome-${String(run.outcome ?? '').toLowerCase()}` }, run.outcome ?? (run.finished_at ? '' : 'running')),
      el('td', {}, Object.entries(run.counts ?? {}).map(([k, v]) => `${k}=${v}`).join(' ')),
      el('td', {}, formatDuration(run.duration_ms)))));
}
