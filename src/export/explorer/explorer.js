'use strict';
// claimgraph's explorer. The graph is claimgraph's own JSON format (block #graph-data); the
// positions, the passages and the names come from #explorer-data. Every string of the data is
// put on the page as text (textContent, attribute values), never as markup.
(() => {
  const graph = JSON.parse(document.getElementById('graph-data').textContent);
  const extra = JSON.parse(document.getElementById('explorer-data').textContent);
  const SVG = 'http://www.w3.org/2000/svg';
  const svg = document.getElementById('graph');
  const panel = document.getElementById('panel');

  // ---- the data, indexed -------------------------------------------------------------------
  const nodes = graph.nodes.map((n, i) => {
    const [x, y, w, h, lines] = extra.layout[i];
    return Object.assign({}, n, { index: i, x, y, w, h, lines, edges: [] });
  });
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const edges = graph.edges.map((e, i) => Object.assign({}, e, {
    index: i, from: nodeById.get(e.source), to: nodeById.get(e.target), tone: extra.edge_tones[i],
  }));
  const edgeById = new Map(edges.map((e) => [e.id, e]));
  for (const e of edges) {
    e.from.edges.push(e);
    if (e.to !== e.from) e.to.edges.push(e);
  }
  const claims = new Map(graph.claims.map((c) => [c.id, c]));
  const sources = new Map(graph.sources.map((s) => [s.id, s]));
  const claimEdges = new Map();
  for (const e of edges) {
    for (const c of e.claims) {
      if (!claimEdges.has(c)) claimEdges.set(c, []);
      claimEdges.get(c).push(e);
    }
  }
  const nameOf = (id) => (extra.names[id] ? extra.names[id][0] : id);
  const kindOf = (id) => (extra.names[id] ? extra.names[id][1] : (nodeById.get(id) || {}).kind);

  // ---- small builders ----------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'style') el.style.cssText = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }
  function s(tag, attrs) {
    const el = document.createElementNS(SVG, tag);
    // Styles go through the CSSOM: the page's policy refuses style attributes.
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'style') el.style.cssText = v;
      else el.setAttribute(k, String(v));
    }
    return el;
  }
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const fold = (text) => String(text).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

  // ---- drawing -----------------------------------------------------------------------------
  const defs = s('defs');
  extra.tones.forEach((_, i) => {
    const marker = s('marker', {
      id: `arrow-${i}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse',
    });
    marker.append(s('path', { d: 'M0,0 L10,5 L0,10 z', style: `fill: var(--tone-${i})` }));
    defs.append(marker);
  });
  svg.append(defs);
  const world = s('g', { id: 'world' });
  const edgeLayer = s('g', { class: 'edges' });
  const nodeLayer = s('g', { class: 'nodes' });
  world.append(edgeLayer, nodeLayer);
  svg.append(world);

  // Where a line from the centre of `n` towards (tx, ty) leaves its box.
  function border(n, tx, ty) {
    const dx = tx - n.x;
    const dy = ty - n.y;
    if (dx === 0 && dy === 0) return [n.x, n.y];
    const t = Math.min(dx === 0 ? Infinity : (n.w / 2) / Math.abs(dx),
      dy === 0 ? Infinity : (n.h / 2) / Math.abs(dy));
    return [n.x + dx * Math.min(t, 1), n.y + dy * Math.min(t, 1)];
  }

  const parallel = new Map();
  for (const e of edges) {
    const key = [e.from.index, e.to.index].sort((a, b) => a - b).join(' ');
    if (!parallel.has(key)) parallel.set(key, []);
    parallel.get(key).push(e);
  }
  const edgeFragment = document.createDocumentFragment();
  for (const group of parallel.values()) {
    group.forEach((e, k) => {
      let d;
      if (e.from === e.to) {
        const n = e.from;
        const r = 14 + 8 * k;
        d = `M${n.x + n.w / 2},${n.y - 4} c${r},${-r} ${r},${r * 1.6} 0,${r * 0.9}`;
      } else {
        const [ax, ay, bx, by] = [e.from.x, e.from.y, e.to.x, e.to.y];
        const len = Math.hypot(bx - ax, by - ay) || 1;
        // Parallel edges bend apart; the sign follows the pair's order so A→B and B→A differ.
        const flip = e.from.index < e.to.index ? 1 : -1;
        const offset = (k - (group.length - 1) / 2) * 22 * flip;
        const cx = (ax + bx) / 2 - ((by - ay) / len) * offset;
        const cy = (ay + by) / 2 + ((bx - ax) / len) * offset;
        const [sx, sy] = border(e.from, cx, cy);
        const [tx, ty] = border(e.to, cx, cy);
        d = `M${sx.toFixed(1)},${sy.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${tx.toFixed(1)},${ty.toFixed(1)}`;
      }
      const curated = e.kind === 'link';
      const g = s('g', {
        class: `edge${e.hedged ? ' hedged' : ''}${curated ? ' curated' : ''}`, 'data-id': e.id,
      });
      const width = 1.2 + Math.min(e.affirming_origins.length, 6) * 0.9;
      const title = s('title');
      title.textContent = `${nameOf(e.source)} ${e.label} ${nameOf(e.target)}`;
      g.append(title, s('path', { class: 'hit', d }), s('path', {
        class: 'line', d, 'marker-end': `url(#arrow-${e.tone})`,
        style: `stroke: var(--tone-${e.tone}); stroke-width: ${width.toFixed(1)}px`,
      }));
      e.el = g;
      edgeFragment.append(g);
    });
  }
  edgeLayer.append(edgeFragment);

  const corner = { person: 999, organisation: 4, unit: 0, country: 10, place: 2, group: 8, event: 0, source: 0, claim: 3 };
  const nodeFragment = document.createDocumentFragment();
  for (const n of nodes) {
    const g = s('g', {
      class: `node kind-${n.kind}`, transform: `translate(${n.x},${n.y})`, tabindex: 0,
      role: 'button', 'data-id': n.id,
      'aria-label': `${n.label} (${n.kind}, ${plural(n.edges.length, 'line', 'lines')})`,
    });
    g.append(s('rect', {
      class: 'box', x: -n.w / 2, y: -n.h / 2, width: n.w, height: n.h,
      rx: Math.min(corner[n.kind] ?? 3, n.h / 2),
      style: `fill: var(--${n.kind}-fill); stroke: var(--${n.kind})`,
    }));
    const text = s('text');
    const first = -((n.lines.length - 1) * 14) / 2 + 4;
    n.lines.forEach((line, i) => {
      const span = s('tspan', { x: 0, y: first + i * 14 });
      span.textContent = line;
      text.append(span);
    });
    g.append(text);
    n.el = g;
    nodeFragment.append(g);
  }
  nodeLayer.append(nodeFragment);

  // ---- pan and zoom ------------------------------------------------------------------------
  const margin = 40;
  const full = { x: -margin, y: -margin, w: extra.width + 2 * margin, h: extra.height + 2 * margin };
  let box = Object.assign({}, full);
  function show() {
    svg.setAttribute('viewBox', `${box.x} ${box.y} ${box.w} ${box.h}`);
    const scale = Math.min(svg.clientWidth / box.w, svg.clientHeight / box.h) || 1;
    svg.classList.toggle('small-text', scale * 11 < 5);
  }
  function fit() { box = Object.assign({}, full); show(); }
  function zoom(factor, cx = box.x + box.w / 2, cy = box.y + box.h / 2) {
    const w = Math.min(Math.max(box.w / factor, 60), full.w * 4);
    const hgt = box.h * (w / box.w);
    box = { x: cx - (cx - box.x) * (w / box.w), y: cy - (cy - box.y) * (hgt / box.h), w, h: hgt };
    show();
  }
  function centre(n) {
    const w = Math.min(box.w, Math.max(n.w * 6, 700));
    const hgt = box.h * (w / box.w);
    box = { x: n.x - w / 2, y: n.y - hgt / 2, w, h: hgt };
    show();
  }
  function toWorld(event) {
    const m = svg.getScreenCTM();
    if (!m) return [0, 0];
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(m.inverse());
    return [p.x, p.y];
  }
  svg.addEventListener('wheel', (event) => {
    event.preventDefault();
    const [x, y] = toWorld(event);
    zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, x, y);
  }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY, box: Object.assign({}, box), moved: false };
  });
  svg.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) { svg.setPointerCapture(event.pointerId); svg.classList.add('panning'); }
    drag.moved = true;
    const scale = Math.min(svg.clientWidth / drag.box.w, svg.clientHeight / drag.box.h) || 1;
    box = Object.assign({}, drag.box, { x: drag.box.x - dx / scale, y: drag.box.y - dy / scale });
    show();
  });
  function endDrag(event) {
    if (drag && drag.moved) {
      svg.classList.remove('panning');
      // The click that ends a drag selects nothing.
      svg.addEventListener('click', (e) => e.stopPropagation(), { capture: true, once: true });
      if (svg.hasPointerCapture(event.pointerId)) svg.releasePointerCapture(event.pointerId);
    }
    drag = null;
  }
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);
  document.getElementById('zoom-in').addEventListener('click', () => zoom(1.4));
  document.getElementById('zoom-out').addEventListener('click', () => zoom(1 / 1.4));
  document.getElementById('zoom-fit').addEventListener('click', fit);
  svg.addEventListener('keydown', (event) => {
    const step = box.w / 10;
    const keys = {
      '+': () => zoom(1.4), '=': () => zoom(1.4), '-': () => zoom(1 / 1.4), 0: fit,
      ArrowLeft: () => { box.x -= step; show(); }, ArrowRight: () => { box.x += step; show(); },
      ArrowUp: () => { box.y -= step; show(); }, ArrowDown: () => { box.y += step; show(); },
    };
    if (event.key === 'Enter' || event.key === ' ') {
      const n = event.target.closest && event.target.closest('.node');
      if (n) { event.preventDefault(); selectNode(nodeById.get(n.dataset.id)); }
      return;
    }
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });
  new ResizeObserver(show).observe(svg);

  // ---- selection and the panel -------------------------------------------------------------
  let selected = null;
  function clearSelection() {
    if (selected) selected.el.classList.remove('selected');
    selected = null;
  }
  function setHash(kind, id) {
    const hash = `#${kind}=${encodeURIComponent(id)}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }
  function openPanel(title, ...content) {
    panel.replaceChildren(h('h2', { id: 'panel-title' }, title), ...content);
    panel.scrollTop = 0;
    panel.focus({ preventScroll: true });
  }
  function nodeButton(id) {
    const n = nodeById.get(id);
    if (!n) return nameOf(id);
    return h('button', { type: 'button', class: 'linkish', onclick: () => selectNode(n, true) }, n.label);
  }
  function selectNode(n, move) {
    clearSelection();
    selected = n;
    n.el.classList.add('selected');
    setHash('node', n.id);
    if (move) centre(n);
    openPanel(n.label, ...nodeDetails(n));
  }
  function selectEdge(e) {
    clearSelection();
    selected = e;
    e.el.classList.add('selected');
    setHash('edge', e.id);
    openPanel(`${nameOf(e.source)} ${e.label} ${nameOf(e.target)}`, ...edgeDetails(e));
  }
  function selectClaim(id) {
    const carried = claimEdges.get(id);
    if (carried && carried.length) { selectEdge(carried[0]); return; }
    const holder = nodes.find((n) => n.id === id || (n.values || []).includes(id));
    if (holder) { selectNode(holder, true); return; }
    const c = claims.get(id);
    clearSelection();
    openPanel(`Claim ${id}`, c ? claimCard(c) : h('p', {}, 'This claim is not part of this view.'));
  }

  function nodeDetails(n) {
    const rows = [['Kind', n.kind], ['Id', n.id]];
    for (const [field, value] of Object.entries(n.fields || {})) rows.push([field, value]);
    if (n.aliases && n.aliases.length) rows.push(['Also called', n.aliases.join('; ')]);
    if (n.reliability) rows.push(['Reliability', n.reliability]);
    const list = h('dl', {}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    if (n.wikidata) {
      list.append(h('dt', {}, 'Wikidata'), h('dd', {}, h('a', {
        href: `https://www.wikidata.org/wiki/${encodeURIComponent(n.wikidata)}`, rel: 'noopener noreferrer',
      }, n.wikidata)));
    }
    for (const [field, targets] of Object.entries(n.links || {})) {
      list.append(h('dt', {}, field), h('dd', {}, targets.map((t, i) => [i ? ', ' : '', nodeButton(t)])));
    }
    const out = [list];
    if (n.description) out.push(h('p', {}, n.description));
    if (n.kind === 'claim') {
      const c = claims.get(n.id);
      if (c) out.push(claimCard(c));
    }
    if (n.edges.length) {
      out.push(h('h3', {}, `Lines (${n.edges.length}): choose one for the claims behind it`));
      // Lines with claims behind them first, the most claimed first; curated links last.
      const ordered = n.edges.slice().sort((a, b) => b.claims.length - a.claims.length);
      const items = ordered.map((e) => {
        const other = e.from === n ? e.to : e.from;
        const words = e.from === n ? `${n.label} ${e.label} ${other.label}` : `${other.label} ${e.label} ${n.label}`;
        const count = e.claims.length ? ` (${plural(e.claims.length, 'claim', 'claims')})` : ' (curated)';
        return h('li', { class: visibleEdge(e) ? null : 'faded' },
          h('button', { type: 'button', class: 'linkish', onclick: () => selectEdge(e) }, words + count),
          e.conflicting ? h('span', { class: 'flag conflicting' }, 'conflicting') : null,
          !e.conflicting && e.contested ? h('span', { class: 'flag contested' }, 'contested') : null);
      });
      out.push(h('ul', { class: 'plain' }, items));
    }
    if (n.values && n.values.length) {
      out.push(h('h3', {}, 'Values claimed for it'));
      for (const id of n.values) if (claims.has(id)) out.push(claimCard(claims.get(id)));
    }
    return out;
  }

  function edgeDetails(e) {
    const out = [];
    const flags = [];
    if (e.conflicting) flags.push(h('span', { class: 'flag conflicting' }, 'conflicting'));
    if (e.contested && !e.conflicting) flags.push(h('span', { class: 'flag contested' }, 'contested'));
    if (e.hedged) flags.push(h('span', { class: 'flag hedged' }, 'hedged'));
    flags.push(h('span', { class: 'flag' }, e.stance));
    out.push(h('p', {}, flags));
    if (e.kind === 'link') {
      out.push(h('p', {}, `A curated field (${e.field || e.label}) of ${nameOf(e.source)}; no claim of a document is behind it.`));
      return out;
    }
    const voices = (ids) => ids.map((id, i) => [i ? ', ' : '', nodeButton(id)]);
    out.push(h('dl', {},
      h('dt', {}, 'Affirmed by'),
      h('dd', {}, e.affirming_origins.length
        ? [plural(e.affirming_origins.length, 'independent origin: ', 'independent origins: '), voices(e.affirming_origins)]
        : 'no independent origin'),
      e.denying_origins.length ? [h('dt', {}, 'Denied by'), h('dd', {}, voices(e.denying_origins))] : null,
      h('dt', {}, 'Reported by'), h('dd', {}, voices(e.reporters)),
      h('dt', {}, 'In'), h('dd', {}, plural(e.documents.length, 'document', 'documents'))));
    out.push(h('h3', {}, plural(e.claims.length, 'claim', 'claims')));
    for (const id of e.claims) if (claims.has(id)) out.push(claimCard(claims.get(id)));
    return out;
  }

  function statement(c) {
    const object = c.object !== undefined ? nameOf(c.object) : String(c.value);
    return `${nameOf(c.subject)} ${c.stance === 'denies' ? 'not ' : ''}${c.predicate_label} ${object}`;
  }

  function claimCard(c) {
    const src = sources.get(c.source) || { id: c.source };
    const passage = extra.passages[c.id];
    const flags = [h('span', { class: `flag ${c.stance}` }, c.stance)];
    if (c.hedged) flags.push(h('span', { class: 'flag hedged' }, 'hedged'));
    if (c.conflicts && c.conflicts.length) flags.push(h('span', { class: 'flag conflicting' }, 'conflicting'));
    if (c.interested) flags.push(h('span', { class: 'flag' }, 'interested party'));
    if (c.aligned) flags.push(h('span', { class: 'flag' }, 'aligned'));
    const doc = [src.title || src.name || src.id];
    const about = [src.outlet && nameOf(src.outlet), src.published, src.language].filter(Boolean);
    if (about.length) doc.push(` (${about.join(', ')})`);
    const chain = [nodeButton(c.reporter)];
    for (const id of c.citing) chain.push(' citing ', nodeButton(id));
    const rows = [
      h('dt', {}, 'Reported by'), h('dd', { class: 'chain' }, chain),
      h('dt', {}, 'In'), h('dd', {}, doc),
      h('dt', {}, 'Origin'), h('dd', {}, nodeButton(c.origin),
        c.voice !== c.origin ? [' (one voice with ', nodeButton(c.voice), ')'] : null),
    ];
    if (c.when) rows.push(h('dt', {}, 'When'), h('dd', {}, c.when));
    const quote = passage
      ? h('blockquote', { lang: src.language || null },
        passage[0] ? `…${passage[0]} ` : '', h('mark', {}, passage[1]), passage[2] ? ` ${passage[2]}…` : '')
      : h('blockquote', { lang: src.language || null }, h('mark', {}, c.quote));
    const card = h('article', {
      class: `claim ${c.stance}${c.conflicts && c.conflicts.length ? ' conflicting' : ''}`, 'data-claim': c.id,
    }, h('p', { class: 'statement' }, statement(c)), h('p', {}, flags), h('dl', {}, rows), quote);
    if (c.note) card.append(h('p', { class: 'help' }, `Curator's note: ${c.note}`));
    if (c.conflicts && c.conflicts.length) {
      card.append(h('p', {}, 'Conflicts with:'), h('ul', { class: 'plain' }, c.conflicts.map((x) => {
        const other = claims.get(x.with);
        return h('li', {}, h('button', { type: 'button', class: 'linkish', onclick: () => selectClaim(x.with) },
          other ? `${statement(other)} (${nameOf(other.reporter)})` : x.with), ` — ${x.reason}: ${x.detail}`);
      })));
    }
    card.append(h('p', { class: 'help' }, `Claim ${c.id}`));
    return card;
  }

  svg.addEventListener('click', (event) => {
    const n = event.target.closest('.node');
    if (n) { selectNode(nodeById.get(n.dataset.id)); return; }
    const e = event.target.closest('.edge');
    if (e) selectEdge(edgeById.get(e.dataset.id));
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && selected) { clearSelection(); history.replaceState(null, '', location.pathname); }
  });

  // ---- filters -----------------------------------------------------------------------------
  const filter = { document: '', origin: '', stance: '', hedged: '', disputed: false, links: true };
  const control = (id) => document.getElementById(id);
  const byName = (a, b) => nameOf(a).localeCompare(nameOf(b));
  for (const src of [...sources.values()]) {
    control('f-document').append(h('option', { value: src.id }, src.title || src.name || src.id));
  }
  const origins = [...new Set(graph.claims.map((c) => c.origin))].sort(byName);
  for (const id of origins) control('f-origin').append(h('option', { value: id }, nameOf(id)));
  function claimShown(c) {
    return (!filter.document || c.source === filter.document)
      && (!filter.origin || c.origin === filter.origin)
      && (!filter.stance || c.stance === filter.stance)
      && (!filter.hedged || c.hedged === (filter.hedged === 'yes'));
  }
  const claimFilter = () => filter.document || filter.origin || filter.stance || filter.hedged;
  function visibleEdge(e) {
    if (e.kind === 'link') return filter.links && !claimFilter() && !filter.disputed;
    if (filter.disputed && !(e.contested || e.conflicting)) return false;
    if (!claimFilter()) return true;
    return e.claims.some((id) => claims.has(id) && claimShown(claims.get(id)));
  }
  function applyFilters() {
    let shown = 0;
    for (const e of edges) {
      const visible = visibleEdge(e);
      e.el.classList.toggle('hidden', !visible);
      e.visible = visible;
      if (visible) shown += 1;
    }
    const narrowed = claimFilter() || filter.disputed || !filter.links;
    let lit = 0;
    for (const n of nodes) {
      const on = !narrowed || n.edges.some((e) => e.visible)
        || (n.values || []).some((id) => claims.has(id) && claimShown(claims.get(id)));
      n.el.classList.toggle('faded', !on);
      if (on) lit += 1;
    }
    control('shown').textContent = narrowed
      ? `Showing ${plural(shown, 'line', 'lines')} of ${edges.length} and ${lit} of ${plural(nodes.length, 'node', 'nodes')}.`
      : `Showing all ${plural(edges.length, 'line', 'lines')} and ${plural(nodes.length, 'node', 'nodes')}.`;
  }
  for (const [id, key] of [['f-document', 'document'], ['f-origin', 'origin'], ['f-stance', 'stance'], ['f-hedged', 'hedged']]) {
    control(id).addEventListener('change', (event) => { filter[key] = event.target.value; applyFilters(); });
  }
  control('f-disputed').addEventListener('change', (event) => { filter.disputed = event.target.checked; applyFilters(); });
  control('f-links').addEventListener('change', (event) => { filter.links = event.target.checked; applyFilters(); });
  control('f-reset').addEventListener('click', () => {
    Object.assign(filter, { document: '', origin: '', stance: '', hedged: '', disputed: false, links: true });
    for (const id of ['f-document', 'f-origin', 'f-stance', 'f-hedged']) control(id).value = '';
    control('f-disputed').checked = false;
    control('f-links').checked = true;
    applyFilters();
  });

  // ---- search ------------------------------------------------------------------------------
  const search = control('search');
  const results = control('results');
  const keys = nodes.map((n) => [n.label, n.id, ...(n.aliases || [])].map(fold));
  let matches = [];
  let active = -1;
  function mark(list) {
    for (const n of matches) n.el.classList.remove('match');
    matches = list;
    if (list.length <= 200) for (const n of list) n.el.classList.add('match');
  }
  function choose(i) {
    active = i;
    [...results.children].forEach((li, j) => li.setAttribute('aria-selected', j === i ? 'true' : 'false'));
    if (i >= 0 && results.children[i]) {
      search.setAttribute('aria-activedescendant', results.children[i].id);
      results.children[i].scrollIntoView({ block: 'nearest' });
    } else search.removeAttribute('aria-activedescendant');
  }
  search.addEventListener('input', () => {
    const q = fold(search.value.trim());
    results.replaceChildren();
    if (!q) { mark([]); choose(-1); return; }
    const found = [];
    nodes.forEach((n, i) => {
      const rank = keys[i].reduce((best, k) => Math.min(best, k === q ? 0 : k.startsWith(q) ? 1 : k.includes(q) ? 2 : 3), 3);
      if (rank < 3) found.push([rank, n]);
    });
    found.sort((a, b) => a[0] - b[0] || a[1].label.localeCompare(b[1].label));
    mark(found.map(([, n]) => n));
    for (const [, n] of found.slice(0, 50)) {
      results.append(h('li', {
        role: 'option', id: `result-${n.index}`, 'aria-selected': 'false',
        onclick: () => selectNode(n, true),
      }, n.label, ' ', h('span', { class: 'kind' }, n.kind)));
    }
    if (found.length > 50) results.append(h('li', { role: 'presentation', class: 'help' }, `and ${found.length - 50} more`));
    choose(found.length ? 0 : -1);
  });
  search.addEventListener('keydown', (event) => {
    const count = results.querySelectorAll('[role=option]').length;
    if (event.key === 'ArrowDown' && count) { event.preventDefault(); choose((active + 1) % count); }
    if (event.key === 'ArrowUp' && count) { event.preventDefault(); choose((active - 1 + count) % count); }
  });
  control('find').addEventListener('submit', (event) => {
    event.preventDefault();
    const n = matches[Math.max(active, 0)];
    if (n) selectNode(n, true);
  });

  // ---- legend, summary, deep links ---------------------------------------------------------
  const kinds = [...new Set(nodes.map((n) => n.kind))].sort();
  control('legend-kinds').replaceChildren(...kinds.map((k) => h('li', {},
    h('span', { class: 'swatch', style: `background: var(--${k}-fill); border-color: var(--${k})` }), k)));
  const tones = [...new Set(edges.map((e) => e.tone))].sort();
  control('legend-tones').replaceChildren(...tones.map((t) => h('li', {},
    h('span', { class: 'line', style: `border-color: var(--tone-${t})` }), extra.tones[t])));
  control('summary').textContent = `${plural(nodes.length, 'node', 'nodes')}, ${plural(edges.length, 'line', 'lines')}, `
    + `${plural(graph.claims.length, 'claim', 'claims')} from ${plural(graph.sources.length, 'document', 'documents')}.`;

  function follow() {
    const m = /^#(node|edge)=(.+)$/.exec(location.hash);
    if (!m) return;
    let id;
    try { id = decodeURIComponent(m[2]); } catch { return; }
    if (m[1] === 'node' && nodeById.has(id)) selectNode(nodeById.get(id), true);
    else if (m[1] === 'edge' && edgeById.has(id)) selectEdge(edgeById.get(id));
    else openPanel('Not in this view', h('p', {}, `The link names ${m[1]} “${id}”, which this view does not have.`));
  }
  window.addEventListener('hashchange', follow);
  applyFilters();
  fit();
  follow();
  document.body.dataset.ready = 'true';
})();
