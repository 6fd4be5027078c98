// Renders /v1/openapi.json as a list of operations. Builds DOM nodes only (never parses HTML), so
// nothing in the description can become markup; the page's CSP allows this file and same-origin
// fetches, nothing else.
'use strict';

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function resolve(spec, ref) {
  if (!ref || !ref.$ref) return ref;
  return ref.$ref.replace(/^#\//, '').split('/').reduce((node, key) => node && node[key], spec);
}

function schemaText(spec, schema) {
  const s = resolve(spec, schema) || {};
  if (s.enum) return s.enum.join(' | ');
  if (s.type === 'array') return 'array of ' + schemaText(spec, s.items);
  if (s.properties) return '{ ' + Object.keys(s.properties).join(', ') + ' }';
  return s.type || '';
}

function parameters(spec, op) {
  const params = (op.parameters || []).map((p) => resolve(spec, p));
  if (params.length === 0) return null;
  return el('table', {},
    el('tr', {}, el('th', {}, 'Parameter'), el('th', {}, 'In'), el('th', {}, 'Schema'), el('th', {}, 'Description')),
    ...params.map((p) => el('tr', {},
      el('td', {}, el('code', {}, p.name), p.required ? ' *' : ''),
      el('td', {}, p.in), el('td', {}, schemaText(spec, p.schema)), el('td', {}, p.description || ''))));
}

function responses(spec, op) {
  return el('table', {},
    el('tr', {}, el('th', {}, 'Status'), el('th', {}, 'Meaning'), el('th', {}, 'Body')),
    ...Object.entries(op.responses || {}).map(([status, r]) => {
      const response = resolve(spec, r);
      const content = response.content || {};
      const first = Object.values(content)[0];
      return el('tr', {}, el('td', {}, el('code', {}, status)), el('td', {}, response.description || ''),
        el('td', {}, first ? schemaText(spec, first.schema) : ''));
    }));
}

function operation(spec, path, method, op) {
  const security = (op.security || spec.security || []).flatMap((s) => Object.keys(s));
  return el('details', { class: 'op', id: op.operationId || (method + path) },
    el('summary', {}, el('span', { class: 'method ' + method }, method.toUpperCase()),
      el('span', { class: 'path' }, path), ' — ', op.summary || ''),
    el('p', {}, security.length ? 'Token: ' + security.join(' or ') : 'No token.'),
    parameters(spec, op), responses(spec, op));
}

function render(spec) {
  document.getElementById('title').textContent = spec.info.title + ' (v' + spec.info.version + ')';
  document.title = spec.info.title;
  const api = document.getElementById('api');
  api.replaceChildren(el('p', {}, spec.info.description || ''));
  const byTag = new Map();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags || ['other'])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operation(spec, path, method, op));
    }
  }
  for (const [tag, ops] of byTag) api.append(el('h2', {}, tag), ...ops);
  const codes = (spec.components.schemas.ErrorCode || {}).enum || [];
  api.append(el('h2', {}, 'error codes'), el('p', { class: 'codes' }, ...codes.map((c) => el('code', {}, c))),
    el('h2', {}, 'error envelope'),
    el('pre', {}, JSON.stringify({ detail: { code: 'RATE_LIMIT_EXCEEDED', message: '…', request_id: '…', retry_after: 3 } }, null, 2)));
}

fetch('/v1/openapi.json', { headers: { Accept: 'application/json' } })
  .then((response) => {
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.json();
  })
  .then(render)
  .catch((error) => {
    document.getElementById('api').replaceChildren(el('p', {}, 'Could not load the API description: ' + error.message));
  });
