// Small DOM and formatting helpers. Text always goes in as text (never as HTML).

export const $ = (id) => document.getElementById(id);

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (key === 'class') {
      node.className = value;
    } else if (key.startsWith('data-')) {
      node.setAttribute(key, String(value));
    } else if (key === 'onclick') {
      node.addEventListener('click', value);
    } else {
      node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element; geometry goes in attributes, which the CSP allows (unlike style attributes). */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    node.setAttribute(key === 'className' ? 'class' : key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

export const show = (node, visible = true) => node.classList.toggle('hidden', !visible);

const pad = (n) => String(n).padStart(2, '0');

/** The API's times are integers of Unix seconds; null (or anything else) gives null. */
export function toDate(seconds) {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}

/** ISO-8601 UTC of a Unix-seconds time, for datetime attributes and tooltips; '' for nothing. */
export function isoOf(seconds) {
  const d = toDate(seconds);
  return d ? d.toISOString().replace('.000Z', 'Z') : '';
}

/** Local time of a Unix-seconds time as YYYY-MM-DD HH:MM:SS; a dash for nothing. */
export function formatTime(seconds) {
  if (seconds === null || seconds === undefined) {
    return '–';
  }
  const d = toDate(seconds);
  if (!d) {
    return String(seconds);
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "12 s ago", "in 4 min" … of a Unix-seconds time. */
export function relative(at, now = Date.now()) {
  const d = toDate(at);
  if (!d) {
    return '';
  }
  const seconds = Math.round((d.getTime() - now) / 1000);
  const size = Math.abs(seconds);
  const text = size < 90 ? `${size} s` : size < 5400 ? `${Math.round(size / 60)} min` : `${Math.round(size / 3600)} h`;
  return seconds < 0 ? `${text} ago` : `in ${text}`;
}

/** A <time> showing local time of a Unix-seconds time, with the ISO value and the distance from now on hover. */
export function timeCell(seconds) {
  const iso = isoOf(seconds);
  if (!iso) {
    return '–';
  }
  return el('time', { datetime: iso, title: `${iso} (${relative(seconds)})` }, formatTime(seconds));
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined) {
    return '–';
  }
  return ms < 1000 ? `${ms} ms` : ms < 120000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60000)} min`;
}

/** The series a sandbox belongs to, as the broker computes it: lab-adventure-0087 → lab-adventure. */
export function nameGroup(name) {
  if (!name) {
    return '';
  }
  const stripped = name.replace(/[-_ ]?\d+$/, '');
  return stripped === '' ? name : stripped;
}

const confirmDialog = () => $('confirm-dialog');

/** A small modal question; resolves to true when the operator confirms. */
export function confirmAction(text) {
  const dialog = confirmDialog();
  $('confirm-text').textContent = text;
  return new Promise((resolve) => {
    const done = (answer) => {
      $('confirm-ok').removeEventListener('click', ok);
      $('confirm-cancel').removeEventListener('click', cancel);
      dialog.removeEventListener('cancel', cancel);
      dialog.close();
      resolve(answer);
    };
    const ok = () => done(true);
    const cancel = () => done(false);
    $('confirm-ok').addEventListener('click', ok);
    $('confirm-cancel').addEventListener('click', cancel);
    dialog.addEventListener('cancel', cancel);
    dialog.showModal();
  });
}
