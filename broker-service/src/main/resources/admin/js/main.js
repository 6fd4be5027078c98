// The admin page: sign-in, tabs, refresh (every 30 s and on demand) and the messages the operator sees.
import { call, token, plausibleToken, ApiError } from './api.js';
import { $, el, replace, show, formatTime } from './dom.js';
import { Overview } from './overview.js';
import { SandboxTable } from './sandboxes.js';
import { Jobs } from './jobs.js';
import { Lookup } from './lookup.js';

const REFRESH_MS = 30000;

// Any CSP violation is a bug of this page; count them where a test (or an operator) can see.
let cspViolations = 0;
document.addEventListener('securitypolicyviolation', () => {
  cspViolations++;
  document.body.dataset.cspViolations = String(cspViolations);
});

const notify = (kind, text) => {
  const banner = $('banner');
  banner.className = `banner ${kind}`;
  banner.dataset.kind = kind;
  banner.textContent = text;
};
const clearBanner = () => {
  const banner = $('banner');
  banner.className = 'banner hidden';
  banner.dataset.kind = '';
  banner.textContent = '';
};

const overview = new Overview();
const jobs = new Jobs(notify, () => refreshAll());
const sandboxes = new SandboxTable(notify, () => refreshAll());
new Lookup(notify);
let timer = null;
let refreshing = null;

function signedIn(yes) {
  show($('sign-in'), !yes);
  show($('tabs'), yes);
  show($('session'), yes);
  for (const view of document.querySelectorAll('.view')) {
    show(view, yes && view.id === `view-${currentTab()}`);
  }
  if (!yes) {
    replace($('warnings'));
    $('token-input').focus();
  }
}

function currentTab() {
  return document.querySelector('.tab.active')?.dataset.tab ?? 'overview';
}

function selectTab(name) {
  for (const tab of document.querySelectorAll('.tab')) {
    tab.classList.toggle('active', tab.dataset.tab === name);
  }
  for (const view of document.querySelectorAll('.view')) {
    show(view, view.id === `view-${name}`);
  }
}

/** Reloads every part; one refresh at a time. */
function refreshAll() {
  if (!refreshing) {
    refreshing = doRefresh().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function doRefresh() {
  document.body.dataset.refreshing = 'true';
  const results = await Promise.allSettled([overview.refresh(), jobs.refresh(), sandboxes.refresh()]);
  if (overview.stats) {
    sandboxes.setGroups(Object.keys(overview.stats.by_group ?? {}));
  }
  const errors = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  const authError = errors.find((e) => e instanceof ApiError && e.isAuth);
  if (authError) {
    signOut();
    notify('error', authError.message);
  } else if (errors.length > 0) {
    const first = errors.find((e) => e instanceof ApiError && e.kind === 'unreachable') ?? errors[0];
    notify('error', first instanceof ApiError ? first.message : `The page failed: ${first}`);
  } else if ($('banner').dataset.kind === 'error') {
    clearBanner();
  }
  const warnings = results.filter((r) => r.status === 'fulfilled' && Array.isArray(r.value)).flatMap((r) => r.value);
  replace($('warnings'), warnings.map((w) => el('div', { class: 'warning' }, w)));
  const refreshed = $('last-refresh');
  refreshed.textContent = `Refreshed ${formatTime(Math.floor(Date.now() / 1000))}`;
  refreshed.dataset.at = String(Date.now());
  document.body.dataset.refreshing = 'false';
}

function startTimer() {
  stopTimer();
  if ($('auto-refresh').checked) {
    timer = setInterval(refreshAll, REFRESH_MS);
  }
}

function stopTimer() {
  if (timer) {
    clearInterval(timer);
    timer = null;
  }
}

function enter() {
  signedIn(true);
  startTimer();
  return refreshAll();
}

function signOut() {
  token.clear();
  stopTimer();
  signedIn(false);
}

async function signIn(event) {
  event.preventDefault();
  const input = $('token-input');
  const candidate = input.value.trim();
  if (!plausibleToken(candidate)) {
    notify('error', 'A token is one word of printable ASCII characters.');
    return;
  }
  $('sign-in-button').disabled = true;
  try {
    // One cheap call proves the token before it is kept.
    await call('GET', '/v1/admin/stats', candidate);
    token.set(candidate);
    input.value = '';
    clearBanner();
    await enter();
  } catch (e) {
    notify('error', e instanceof ApiError ? e.message : String(e));
  } finally {
    $('sign-in-button').disabled = false;
  }
}

$('sign-in-form').addEventListener('submit', signIn);
$('refresh').addEventListener('click', () => refreshAll());
$('auto-refresh').addEventListener('change', startTimer);
$('sign-out').addEventListener('click', () => {
  signOut();
  clearBanner();
});
for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => selectTab(tab.dataset.tab));
}

if (token.get()) {
  enter();
} else {
  signedIn(false);
}
document.body.dataset.ready = 'true';
