// Look-up: for a learner id or a sandbox id, the learner's claim, its sandbox and that sandbox's history;
// and what an operator can do to that sandbox: extend its lease, quarantine it, release the quarantine.
import { call, ApiError } from './api.js';
import { $, el, replace, show, timeCell, formatTime, confirmAction } from './dom.js';

const PAGE = 50;

export class Lookup {
  /** @param notify (kind, text) shows a message */
  constructor(notify) {
    this.notify = notify;
    this.query = null;
    this.sandboxId = null;
    this.cursor = null;
    $('lookup-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.find($('lookup-input').value.trim()).catch((e) => notify('error', e.message));
    });
    $('lookup-more').addEventListener('click', () => this.more().catch((e) => notify('error', e.message)));
    $('extend-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.extend();
    });
    $('quarantine-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.quarantine();
    });
    $('release-button').addEventListener('click', () => this.release());
  }

  /** A learner id first (the usual support question); else a sandbox id. */
  async find(query) {
    if (!query) {
      return;
    }
    this.query = query;
    const encoded = encodeURIComponent(query);
    let found = null;
    try {
      found = await call('GET', `/v1/admin/learners/${encoded}?limit=${PAGE}`);
    } catch (e) {
      // 404 NOT_FOUND: no learner of that id; 400: not a valid learner id. Either way try it as a sandbox id.
      if (!(e instanceof ApiError) || e.isAuth || (e.status !== 404 && e.status !== 400)) {
        throw e;
      }
    }
    if (found) {
      this.showClaim(found);
      this.showHistory(found.claim.sandbox_id, found.history, false);
      return;
    }
    try {
      const history = await call('GET', `/v1/admin/sandboxes/${encoded}/history?limit=${PAGE}`);
      this.showClaim(null);
      this.showHistory(query, history, false);
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'SANDBOX_NOT_FOUND' || e.status === 400)) {
        this.showClaim(null);
        this.sandboxId = null;
        show($('lookup-actions'), false);
        replace($('lookup-summary'), `No learner and no sandbox "${query}" is known (within the history retention).`);
        replace($('lookup-rows'));
        show($('lookup-more'), false);
        return;
      }
      throw e;
    }
  }

  async more() {
    if (!this.sandboxId || !this.cursor) {
      return;
    }
    const query = new URLSearchParams({ limit: String(PAGE), cursor: this.cursor });
    const page = await call('GET', `/v1/admin/sandboxes/${encodeURIComponent(this.sandboxId)}/history?${query}`);
    this.showHistory(this.sandboxId, page, true);
  }

  showClaim(found) {
    const box = $('lookup-claim');
    if (!found) {
      replace(box);
      return;
    }
    const sandbox = found.sandbox;
    replace(box, el('dl', { class: 'facts' },
      el('dt', {}, 'Learner'), el('dd', {}, found.learner_id),
      el('dt', {}, 'Claimed'), el('dd', {}, timeCell(found.claim.created_at)),
      ...sandboxFacts(found.claim.sandbox_id, sandbox)));
  }

  /** A sandbox looked up by its id has no claim: after an action, the answer shows its new state. */
  showSandbox(sandbox) {
    replace($('lookup-claim'), el('dl', { class: 'facts' }, ...sandboxFacts(sandbox.sandbox_id, sandbox)));
  }

  async extend() {
    const amount = Number($('extend-amount').value);
    const seconds = Math.round(amount * Number($('extend-unit').value));
    if (!Number.isFinite(seconds) || seconds < 1) {
      this.notify('error', 'Extend by a positive amount of at least one second.');
      return;
    }
    const unit = $('extend-unit').selectedOptions[0].textContent;
    await this.act(`Extend the lease of sandbox ${this.sandboxId} by ${amount} ${unit}? ` +
      'The time is added to its current expiry (or to now, if that is past); the pool\'s lease bounds do not apply.',
    `extend?seconds=${seconds}`, (s) => `Sandbox ${s.sandbox_id} now expires at ${formatTime(s.expires_at)}.`);
  }

  async quarantine() {
    const reason = $('quarantine-reason').value.trim();
    if (!reason) {
      this.notify('error', 'Quarantine needs a reason.');
      return;
    }
    await this.act(`Quarantine sandbox ${this.sandboxId}? An unused sandbox leaves the pool; an allocated one ` +
      'stays with its learner but is neither returned to the pool nor deleted until the quarantine is released.',
    `quarantine?${new URLSearchParams({ reason })}`, (s) => `Sandbox ${s.sandbox_id} is quarantined (${s.status}).`);
  }

  async release() {
    await this.act(`Release the quarantine of sandbox ${this.sandboxId}? It goes back on its normal path ` +
      '(available, or pending deletion if it was used).',
    'release-quarantine', (s) => `Sandbox ${s.sandbox_id} is released from quarantine (${s.status}).`);
  }

  /** Asks first, calls the admin action on the sandbox shown, then shows the sandbox and its history again. */
  async act(question, action, done) {
    const sandboxId = this.sandboxId;
    if (!sandboxId || !await confirmAction(question)) {
      return;
    }
    try {
      const sandbox = await call('POST', `/v1/admin/sandboxes/${encodeURIComponent(sandboxId)}/${action}`);
      await this.find(this.query);
      if ($('lookup-claim').childElementCount === 0) {
        this.showSandbox(sandbox);
      }
      this.notify('info', done(sandbox));
    } catch (e) {
      this.notify('error', e.message);
    }
  }

  showHistory(sandboxId, page, append) {
    this.sandboxId = sandboxId;
    show($('lookup-actions'), Boolean(sandboxId));
    this.cursor = page.cursor ?? null;
    const rows = (page.events ?? []).map((e) => el('tr', { 'data-event': e.event },
      el('td', {}, timeCell(e.at)), el('td', {}, e.event), el('td', {}, e.from ?? '–'), el('td', {}, e.to),
      el('td', {}, e.actor), el('td', {}, e.ref ?? '–'), el('td', {}, e.learner ?? '–'), el('td', {}, e.detail ?? '')));
    if (append) {
      $('lookup-rows').append(...rows);
    } else {
      replace($('lookup-rows'), ...rows);
    }
    replace($('lookup-summary'), `History of sandbox ${sandboxId}: ${$('lookup-rows').children.length} change(s)` +
      (this.cursor ? ', more to load' : ''));
    show($('lookup-more'), Boolean(this.cursor));
  }
}

function sandboxFacts(sandboxId, sandbox) {
  return [
    el('dt', {}, 'Sandbox'), el('dd', {}, sandboxId + (sandbox ? ` (${sandbox.name})` : ' (item gone)')),
    el('dt', {}, 'Status'), el('dd', { id: 'lookup-status', 'data-status': sandbox?.status ?? '' }, sandbox ? sandbox.status : '–'),
    el('dt', {}, 'Expires'), el('dd', { id: 'lookup-expires', 'data-expires': sandbox?.expires_at ?? '' },
      sandbox ? timeCell(sandbox.expires_at) : '–'),
    ...(sandbox?.quarantine_reason ? [el('dt', {}, 'Quarantined'), el('dd', {}, sandbox.quarantine_reason)] : []),
  ];
}
