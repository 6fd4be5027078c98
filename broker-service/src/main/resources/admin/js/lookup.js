// Look-up: for a learner id or a sandbox id, the learner's claim, its sandbox and that sandbox's history.
import { call, ApiError } from './api.js';
import { $, el, replace, show, timeCell } from './dom.js';

const PAGE = 50;

export class Lookup {
  /** @param notify (kind, text) shows a message */
  constructor(notify) {
    this.notify = notify;
    this.sandboxId = null;
    this.cursor = null;
    $('lookup-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.find($('lookup-input').value.trim()).catch((e) => notify('error', e.message));
    });
    $('lookup-more').addEventListener('click', () => this.more().catch((e) => notify('error', e.message)));
  }

  /** A learner id first (the usual support question); else a sandbox id. */
  async find(query) {
    if (!query) {
      return;
    }
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
      el('dt', {}, 'Sandbox'), el('dd', {}, found.claim.sandbox_id + (sandbox ? ` (${sandbox.name})` : ' (item gone)')),
      el('dt', {}, 'Status'), el('dd', { 'data-status': sandbox?.status ?? '' }, sandbox ? sandbox.status : '–'),
      el('dt', {}, 'Expires'), el('dd', {}, sandbox ? timeCell(sandbox.expires_at) : '–')));
  }

  showHistory(sandboxId, page, append) {
    this.sandboxId = sandboxId;
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
