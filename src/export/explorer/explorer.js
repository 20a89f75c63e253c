'use strict';
// claimgraph's explorer. The graph is claimgraph's own JSON format (block #graph-data); the
// layout's positions, the edges' tones, the entities' names, the documents' texts and the
// quotes' offsets come from #explorer-data. Every string of the data is put on the page as
// text (text nodes, attribute values), never as markup.
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
  // How often each entity takes each part in the view's claims, for its profile.
  const parts = new Map();
  const spoken = new Map();
  const count = (id, part, c) => {
    if (!parts.has(id)) parts.set(id, { subject: 0, object: 0, reporter: 0, cited: 0 });
    parts.get(id)[part] += 1;
    // What an entity reported or was cited for: claims on lines elsewhere in the view.
    if (c) {
      if (!spoken.has(id)) spoken.set(id, []);
      spoken.get(id).push([part, c]);
    }
  };
  for (const c of graph.claims) {
    count(c.subject, 'subject');
    if (c.object !== undefined) count(c.object, 'object');
    count(c.reporter, 'reporter', c);
    for (const id of new Set(c.citing)) count(id, 'cited', c);
  }
  const nameOf = (id) => (extra.names[id] ? extra.names[id][0] : id);

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

  // ---- geometry ----------------------------------------------------------------------------
  // Where a line from the centre of `n` towards (tx, ty) leaves its box.
  function border(n, tx, ty) {
    const dx = tx - n.x;
    const dy = ty - n.y;
    if (dx === 0 && dy === 0) return [n.x, n.y];
    const t = Math.min(dx === 0 ? Infinity : (n.w / 2) / Math.abs(dx),
      dy === 0 ? Infinity : (n.h / 2) / Math.abs(dy));
    return [n.x + dx * Math.min(t, 1), n.y + dy * Math.min(t, 1)];
  }
  // Each edge is one quadratic curve from border to border; parallel edges bend apart (the
  // sign follows the pair's order, so A→B and B→A differ), a loop goes out and back.
  const parallel = new Map();
  for (const e of edges) {
    const key = e.from.index < e.to.index ? `${e.from.index} ${e.to.index}` : `${e.to.index} ${e.from.index}`;
    if (!parallel.has(key)) parallel.set(key, []);
    parallel.get(key).push(e);
  }
  for (const group of parallel.values()) {
    group.forEach((e, k) => {
      if (e.from === e.to) {
        const n = e.from;
        const r = 18 + 10 * k;
        e.curve = [n.x + n.w / 2, n.y, n.x + n.w / 2 + r, n.y - r * 1.4, n.x + n.w / 2 - 2, n.y - n.h / 2];
      } else {
        const [ax, ay, bx, by] = [e.from.x, e.from.y, e.to.x, e.to.y];
        const len = Math.hypot(bx - ax, by - ay) || 1;
        const flip = e.from.index < e.to.index ? 1 : -1;
        const offset = (k - (group.length - 1) / 2) * 22 * flip;
        const cx = (ax + bx) / 2 - ((by - ay) / len) * offset;
        const cy = (ay + by) / 2 + ((bx - ax) / len) * offset;
        e.curve = [...border(e.from, cx, cy), cx, cy, ...border(e.to, cx, cy)];
      }
      e.width = e.kind === 'link' ? 1 : 1.2 + Math.min(e.affirming_origins.length, 6) * 0.9;
    });
  }
  const corner = { person: 999, organisation: 4, unit: 0, country: 10, place: 2, group: 8, event: 0, source: 0, claim: 3 };
  const radius = (n) => Math.min(corner[n.kind] ?? 3, n.h / 2);
  // The nodes with the most lines keep a readable name when the whole view is too small for
  // every label: they orient the reader at a glance.
  const hubs = nodes.filter((n) => n.edges.length > 0)
    .sort((a, b) => b.edges.length - a.edges.length || a.label.localeCompare(b.label))
    .slice(0, 16);
  const HUB_TEXT = 12;
  // The hubs whose names, at HUB_TEXT pixels, do not cover the name of a bigger hub.
  function namedHubs(scale) {
    const placed = [];
    return hubs.filter((n) => {
      const w = (n.label.length * HUB_TEXT * 0.62) / scale;
      const h = (HUB_TEXT * 1.4) / scale;
      const clear = placed.every((p) => Math.abs(p.x - n.x) * 2 >= p.w + w || Math.abs(p.y - n.y) * 2 >= p.h + h);
      if (clear) placed.push({ x: n.x, y: n.y, w, h });
      return clear;
    });
  }

  // What the view shows: `box` in layout points, mapped into the drawing as SVG's
  // preserveAspectRatio="xMidYMid meet" does, by both renderers.
  const margin = 40;
  const full = { x: -margin, y: -margin, w: Math.max(extra.width, 1) + 2 * margin, h: Math.max(extra.height, 1) + 2 * margin };
  let box = Object.assign({}, full);
  function mapping(width, height) {
    const scale = Math.min(width / box.w, height / box.h) || 1;
    return { scale, ox: (width - box.w * scale) / 2, oy: (height - box.h * scale) / 2 };
  }

  // ---- SVG: every node a focusable element, for views of ordinary size ----------------------
  function svgRenderer() {
    const defs = s('defs');
    extra.tones.forEach((_, i) => {
      const marker = s('marker', {
        id: `arrow-${i}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
        orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse',
      });
      marker.append(s('path', { d: 'M0,0 L10,5 L0,10 z', style: `fill: var(--tone-${i})` }));
      defs.append(marker);
    });
    const edgeLayer = s('g', { class: 'edges' });
    const nodeLayer = s('g', { class: 'nodes' });
    const fragment = document.createDocumentFragment();
    for (const e of edges) {
      const c = e.curve.map((v) => v.toFixed(1));
      const d = `M${c[0]},${c[1]} Q${c[2]},${c[3]} ${c[4]},${c[5]}`;
      const g = s('g', {
        class: `edge${e.hedged ? ' hedged' : ''}${e.kind === 'link' ? ' curated' : ''}`, 'data-id': e.id,
      });
      const title = s('title');
      title.textContent = `${nameOf(e.source)} ${e.label} ${nameOf(e.target)}`;
      g.append(title, s('path', { class: 'hit', d }), s('path', {
        class: 'line', d, 'marker-end': `url(#arrow-${e.tone})`,
        style: `stroke: var(--tone-${e.tone}); stroke-width: ${e.width.toFixed(1)}px`,
      }));
      e.el = g;
      fragment.append(g);
    }
    edgeLayer.append(fragment);
    for (const n of nodes) {
      const g = s('g', {
        class: `node kind-${n.kind}`, transform: `translate(${n.x},${n.y})`, tabindex: 0,
        role: 'button', 'data-id': n.id,
        'aria-label': `${n.label} (${n.kind}, ${plural(n.edges.length, 'line', 'lines')})`,
      });
      g.append(s('rect', {
        class: 'box', x: -n.w / 2, y: -n.h / 2, width: n.w, height: n.h, rx: radius(n),
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
      fragment.append(g);
    }
    nodeLayer.append(fragment);
    const names = s('g', { class: 'hub-names', 'aria-hidden': 'true' });
    svg.append(defs, edgeLayer, nodeLayer, names);
    return {
      element: svg,
      show() {
        svg.setAttribute('viewBox', `${box.x} ${box.y} ${box.w} ${box.h}`);
        const { scale } = mapping(svg.clientWidth, svg.clientHeight);
        const small = scale * 11 < 5;
        svg.classList.toggle('small-text', small);
        // The hubs' names go on a layer above every node, and are not read out twice.
        names.replaceChildren(...(small ? namedHubs(scale) : []).map((n) => {
          const text = s('text', { x: n.x, y: n.y + 4 / scale, class: n.faded ? 'faded' : '' });
          text.style.fontSize = `${HUB_TEXT / scale}px`;
          text.style.strokeWidth = `${3 / scale}px`;
          text.textContent = n.label;
          return text;
        }));
      },
      mark(item) {
        const list = item.el.classList;
        list.toggle('selected', !!item.selected);
        list.toggle('faded', !!item.faded);
        list.toggle('hidden', !!item.hidden);
        list.toggle('match', !!item.match);
      },
      pick(event) {
        const n = event.target.closest && event.target.closest('.node');
        if (n) return nodeById.get(n.dataset.id);
        const e = event.target.closest && event.target.closest('.edge');
        return e ? edgeById.get(e.dataset.id) : null;
      },
    };
  }

  // ---- canvas: thousands of nodes and tens of thousands of lines, redrawn in a frame ---------
  function canvasRenderer() {
    const canvas = h('canvas', {
      id: 'graph-canvas', tabindex: 0, role: 'img',
      'aria-label': `The graph, ${plural(nodes.length, 'node', 'nodes')} and ${plural(edges.length, 'line', 'lines')}: n and p open the next and previous node by name, or find one by name; arrow keys pan, + and − zoom`,
    });
    svg.replaceWith(canvas);
    const context = canvas.getContext('2d');
    const css = getComputedStyle(document.documentElement);
    const colour = (name) => css.getPropertyValue(name).trim();
    const tones = extra.tones.map((_, i) => colour(`--tone-${i}`));
    const fills = {};
    const strokes = {};
    for (const n of nodes) {
      fills[n.kind] = fills[n.kind] || colour(`--${n.kind}-fill`);
      strokes[n.kind] = strokes[n.kind] || colour(`--${n.kind}`);
    }
    let pending = false;
    function frame() {
      pending = false;
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth;
      const height = canvas.clientHeight;
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
      }
      const { scale, ox, oy } = mapping(width, height);
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * (ox - box.x * scale), ratio * (oy - box.y * scale));
      const left = box.x - (ox / scale);
      const top = box.y - (oy / scale);
      const right = left + width / scale;
      const bottom = top + height / scale;
      const outside = (x0, y0, x1, y1) => x1 < left || x0 > right || y1 < top || y0 > bottom;
      // Lines and boxes of one look are gathered into one path each and drawn at once: tens of
      // thousands of separate strokes would take seconds a frame.
      context.lineCap = 'round';
      const inSight = (e) => {
        const [sx, sy, cx, cy, tx, ty] = e.curve;
        return !outside(Math.min(sx, cx, tx), Math.min(sy, cy, ty), Math.max(sx, cx, tx), Math.max(sy, cy, ty));
      };
      const shown = edges.filter((e) => !e.hidden && inSight(e));
      // Dashes, widths and arrowheads along thousands of long curves are slow to paint: with
      // many lines in sight, lines are drawn one pixel wide, hedged lines and curated links paler
      // instead of dashed, and the arrowheads wait for a closer look.
      const detailed = shown.length <= 3000;
      const arrows = detailed && scale * 7 >= 2;
      const lines = new Map();
      for (const e of shown) {
        const [sx, sy, cx, cy, tx, ty] = e.curve;
        const key = e.selected ? 'selected' : `${e.faded ? 1 : 0} ${e.tone} ${e.kind === 'link' ? 'link' : e.hedged ? 'hedged' : ''} ${e.width}`;
        if (!lines.has(key)) lines.set(key, { edge: e, line: new Path2D(), head: new Path2D() });
        const { line, head } = lines.get(key);
        line.moveTo(sx, sy);
        line.quadraticCurveTo(cx, cy, tx, ty);
        if (arrows) {
          const angle = Math.atan2(ty - cy, tx - cx);
          head.moveTo(tx, ty);
          head.lineTo(tx - 7 * Math.cos(angle - 0.4), ty - 7 * Math.sin(angle - 0.4));
          head.lineTo(tx - 7 * Math.cos(angle + 0.4), ty - 7 * Math.sin(angle + 0.4));
          head.closePath();
        }
      }
      const dashes = detailed;
      const order = [...lines.keys()].sort((x, y) => (x === 'selected') - (y === 'selected') || (y < x) - (x < y));
      for (const key of order) {
        const { edge: e, line, head } = lines.get(key);
        const dashed = e.kind === 'link' || e.hedged;
        context.globalAlpha = e.faded && !e.selected ? 0.12 : dashed && !dashes ? 0.45 : 1;
        context.strokeStyle = e.selected ? '#1a4fa0' : tones[e.tone];
        context.fillStyle = context.strokeStyle;
        // At most a few pixels wide, whatever the zoom: wide strokes are slow to paint. The
        // width still grows with the independent origins.
        const width = e.selected ? e.width + 2 : e.width;
        context.lineWidth = Math.min(width, (detailed ? 1 + (width - 1.2) / 2.5 : 1) / scale);
        context.setLineDash(!dashes ? [] : e.kind === 'link' ? [2 / scale, 3 / scale] : e.hedged ? [6 / scale, 4 / scale] : []);
        context.stroke(line);
        context.setLineDash([]);
        if (arrows) context.fill(head);
      }
      const boxes = new Map();
      for (const n of nodes) {
        if (outside(n.x - n.w / 2, n.y - n.h / 2, n.x + n.w / 2, n.y + n.h / 2)) continue;
        const key = `${n.faded ? 1 : 0} ${n.kind} ${n.selected ? 2 : n.match ? 1 : 0}`;
        if (!boxes.has(key)) boxes.set(key, { node: n, path: new Path2D(), members: [] });
        const group = boxes.get(key);
        group.path.roundRect(n.x - n.w / 2, n.y - n.h / 2, n.w, n.h, radius(n));
        group.members.push(n);
      }
      const labels = scale * 11 >= 5;
      context.font = '11px "DejaVu Sans", system-ui, sans-serif';
      context.textAlign = 'center';
      context.textBaseline = 'alphabetic';
      for (const key of [...boxes.keys()].sort()) {
        const { node: n, path, members } = boxes.get(key);
        context.globalAlpha = n.faded ? 0.12 : 1;
        context.fillStyle = fills[n.kind];
        context.fill(path);
        context.lineWidth = n.selected ? 4 : n.match ? 3 : 1.5;
        context.strokeStyle = n.selected || n.match ? '#1a4fa0' : strokes[n.kind];
        context.stroke(path);
        if (labels) {
          context.fillStyle = '#111111';
          for (const m of members) {
            const first = -((m.lines.length - 1) * 14) / 2 + 4;
            m.lines.forEach((line, i) => context.fillText(line, m.x, m.y + first + i * 14));
          }
        }
      }
      context.globalAlpha = 1;
      if (!labels) {
        context.font = `${HUB_TEXT / scale}px "DejaVu Sans", system-ui, sans-serif`;
        context.lineWidth = 3 / scale;
        context.strokeStyle = '#ffffff';
        context.fillStyle = '#111111';
        context.lineJoin = 'round';
        for (const n of namedHubs(scale)) {
          if (n.faded) continue;
          context.strokeText(n.label, n.x, n.y + 4 / scale);
          context.fillText(n.label, n.x, n.y + 4 / scale);
        }
      }
    }
    function redraw() {
      if (!pending) { pending = true; requestAnimationFrame(frame); }
    }
    // Distance from (x, y) to a quadratic curve, along eight straight pieces of it.
    function distance(curve, x, y) {
      const [sx, sy, cx, cy, tx, ty] = curve;
      let best = Infinity;
      let [px, py] = [sx, sy];
      for (let i = 1; i <= 8; i += 1) {
        const t = i / 8;
        const qx = (1 - t) * (1 - t) * sx + 2 * (1 - t) * t * cx + t * t * tx;
        const qy = (1 - t) * (1 - t) * sy + 2 * (1 - t) * t * cy + t * t * ty;
        const [dx, dy] = [qx - px, qy - py];
        const u = Math.max(0, Math.min(1, ((x - px) * dx + (y - py) * dy) / (dx * dx + dy * dy || 1)));
        best = Math.min(best, Math.hypot(x - (px + u * dx), y - (py + u * dy)));
        [px, py] = [qx, qy];
      }
      return best;
    }
    return {
      element: canvas,
      show() {
        // What part of the layout is in sight, as an SVG's viewBox says it.
        canvas.dataset.viewBox = `${box.x} ${box.y} ${box.w} ${box.h}`;
        redraw();
      },
      mark: redraw,
      pick(event) {
        const [x, y] = toWorld(event);
        for (let i = nodes.length - 1; i >= 0; i -= 1) {
          const n = nodes[i];
          if (!n.faded && Math.abs(x - n.x) <= n.w / 2 && Math.abs(y - n.y) <= n.h / 2) return n;
        }
        const reach = 6 / mapping(canvas.clientWidth, canvas.clientHeight).scale;
        let nearest = null;
        let best = reach;
        for (const e of edges) {
          if (e.hidden) continue;
          const d = distance(e.curve, x, y);
          if (d < best) { best = d; nearest = e; }
        }
        return nearest;
      },
    };
  }

  // The nodes in the order of their names, for stepping through them from the keyboard.
  const alphabetical = nodes.slice().sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id));

  // Views of up to a few thousand elements are drawn as SVG, larger ones on a canvas.
  const SVG_LIMIT = 4000;
  const renderer = nodes.length + edges.length <= SVG_LIMIT ? svgRenderer() : canvasRenderer();
  const surface = renderer.element;
  document.body.dataset.renderer = surface === svg ? 'svg' : 'canvas';

  // ---- pan and zoom ------------------------------------------------------------------------
  const show = () => renderer.show();
  function fit() { box = Object.assign({}, full); show(); }
  function zoom(factor, cx = box.x + box.w / 2, cy = box.y + box.h / 2) {
    const w = Math.min(Math.max(box.w / factor, 60), full.w * 4);
    const hgt = box.h * (w / box.w);
    box = { x: cx - (cx - box.x) * (w / box.w), y: cy - (cy - box.y) * (hgt / box.h), w, h: hgt };
    show();
  }
  function centre(x, y, span) {
    const w = Math.min(box.w, Math.max(span, 700));
    const hgt = box.h * (w / box.w);
    box = { x: x - w / 2, y: y - hgt / 2, w, h: hgt };
    show();
  }
  function toWorld(event) {
    const rect = surface.getBoundingClientRect();
    const { scale, ox, oy } = mapping(rect.width, rect.height);
    return [box.x + (event.clientX - rect.left - ox) / scale, box.y + (event.clientY - rect.top - oy) / scale];
  }
  surface.addEventListener('wheel', (event) => {
    event.preventDefault();
    const [x, y] = toWorld(event);
    zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, x, y);
  }, { passive: false });
  let drag = null;
  surface.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY, box: Object.assign({}, box), moved: false };
  });
  surface.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) { surface.setPointerCapture(event.pointerId); surface.classList.add('panning'); }
    drag.moved = true;
    const { scale } = mapping(surface.clientWidth, surface.clientHeight);
    box = Object.assign({}, drag.box, { x: drag.box.x - dx / scale, y: drag.box.y - dy / scale });
    show();
  });
  function endDrag(event) {
    if (drag && drag.moved) {
      surface.classList.remove('panning');
      // The click that ends a drag selects nothing.
      surface.addEventListener('click', (e) => e.stopPropagation(), { capture: true, once: true });
      if (surface.hasPointerCapture(event.pointerId)) surface.releasePointerCapture(event.pointerId);
    }
    drag = null;
  }
  surface.addEventListener('pointerup', endDrag);
  surface.addEventListener('pointercancel', endDrag);
  document.getElementById('zoom-in').addEventListener('click', () => zoom(1.4));
  document.getElementById('zoom-out').addEventListener('click', () => zoom(1 / 1.4));
  document.getElementById('zoom-fit').addEventListener('click', fit);
  surface.addEventListener('keydown', (event) => {
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
    // On the canvas, whose nodes are no elements to tab to, n and p step through them by name.
    if (surface !== svg && (event.key === 'n' || event.key === 'p')) {
      event.preventDefault();
      const at = selected && selected.edges ? alphabetical.indexOf(selected) : -1;
      const next = event.key === 'n' ? at + 1 : (at <= 0 ? alphabetical.length : at) - 1;
      const n = alphabetical[next % alphabetical.length];
      if (n) selectNode(n, true);
      surface.focus({ preventScroll: true });
      return;
    }
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });
  new ResizeObserver(show).observe(surface);

  // ---- selection and the panel -------------------------------------------------------------
  let selected = null;
  function clearSelection() {
    if (selected) { selected.selected = false; renderer.mark(selected); }
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
    n.selected = true;
    renderer.mark(n);
    setHash('node', n.id);
    if (move) centre(n.x, n.y, n.w * 6);
    openPanel(n.label, ...nodeDetails(n));
  }
  function selectEdge(e, move) {
    clearSelection();
    selected = e;
    e.selected = true;
    renderer.mark(e);
    setHash('edge', e.id);
    if (move) {
      centre((e.from.x + e.to.x) / 2, (e.from.y + e.to.y) / 2,
        Math.max(Math.abs(e.from.x - e.to.x), Math.abs(e.from.y - e.to.y)) * 1.4);
    }
    openPanel(`${nameOf(e.source)} ${e.label} ${nameOf(e.target)}`, ...edgeDetails(e));
  }
  function selectClaim(id) {
    const carried = claimEdges.get(id);
    if (carried && carried.length) { selectEdge(carried[0], true); return; }
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
    const part = parts.get(n.id);
    if (part) {
      const said = [['subject', part.subject], ['object', part.object], ['reporter', part.reporter], ['cited', part.cited]]
        .filter(([, k]) => k > 0).map(([word, k]) => `${word} of ${plural(k, 'claim', 'claims')}`);
      if (said.length) rows.push(['In this view', said.join(', ')]);
    }
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
          h('button', { type: 'button', class: 'linkish', onclick: () => selectEdge(e, true) }, words + count),
          e.conflicting ? h('span', { class: 'flag conflicting' }, 'conflicting') : null,
          !e.conflicting && e.contested ? h('span', { class: 'flag contested' }, 'contested') : null);
      });
      out.push(h('ul', { class: 'plain' }, items));
    }
    const said = spoken.get(n.id) || [];
    if (said.length) {
      out.push(h('h3', {}, `What it reported or was cited for (${said.length}): choose one for its line`));
      const shown = said.slice(0, 200).map(([part, c]) => h('li', {},
        h('button', { type: 'button', class: 'linkish', onclick: () => selectClaim(c.id) }, statement(c)),
        h('span', { class: 'help' }, part === 'reporter' ? ' reported' : ` cited by ${nameOf(c.reporter)}`)));
      out.push(h('ul', { class: 'plain' }, shown));
      if (said.length > 200) out.push(h('p', { class: 'help' }, `and ${said.length - 200} more`));
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
    const stances = { affirms: 'affirmed', denies: 'denied', both: 'affirmed and denied', curated: 'curated' };
    flags.push(h('span', { class: `flag ${e.stance === 'denies' || e.stance === 'both' ? 'contested' : ''}` }, stances[e.stance] || e.stance));
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

  // A claim's quote in its document: the paragraph around it, at most CONTEXT characters
  // either side, cut at whole words. The offsets count characters (code points), as the
  // database stores them; JavaScript strings count UTF-16 units, hence Array.from.
  const CONTEXT = 320;
  const characters = new Map();
  function passage(c) {
    const span = extra.spans[c.id];
    const text = extra.texts[c.source];
    if (!span || text === undefined) return null;
    if (!characters.has(c.source)) characters.set(c.source, Array.from(text));
    const chars = characters.get(c.source);
    const [start, end] = span;
    const from = Math.max(0, start - CONTEXT);
    const to = Math.min(chars.length, end + CONTEXT);
    let before = chars.slice(from, start).join('');
    let after = chars.slice(end, to).join('');
    let [cutBefore, cutAfter] = [from > 0, to < chars.length];
    const opening = before.lastIndexOf('\n\n');
    if (opening >= 0) { before = before.slice(opening + 2); cutBefore = false; } else if (cutBefore) before = before.replace(/^\S*\s+/u, '');
    const closing = after.indexOf('\n\n');
    if (closing >= 0) { after = after.slice(0, closing); cutAfter = false; } else if (cutAfter) after = after.replace(/\s+\S*$/u, '');
    return { before: before.trimStart(), quoted: chars.slice(start, end).join(''), after: after.trimEnd(), cutBefore, cutAfter, chars, start, end };
  }

  function statement(c) {
    const object = c.object !== undefined ? nameOf(c.object) : String(c.value);
    return `${nameOf(c.subject)} ${c.stance === 'denies' ? 'not ' : ''}${c.predicate_label} ${object}`;
  }

  function claimCard(c) {
    const src = sources.get(c.source) || { id: c.source };
    const found = passage(c);
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
    const lang = src.language || null;
    const quote = found
      ? h('blockquote', { lang }, found.cutBefore ? '…' : '', found.before, h('mark', {}, found.quoted),
        found.after, found.cutAfter ? '…' : '')
      : h('blockquote', { lang }, h('mark', {}, c.quote));
    const card = h('article', {
      class: `claim ${c.stance}${c.conflicts && c.conflicts.length ? ' conflicting' : ''}`, 'data-claim': c.id,
    }, h('p', { class: 'statement' }, statement(c)), h('p', {}, flags), h('dl', {}, rows), quote);
    if (found && fold(found.quoted).replace(/\s+/gu, ' ') !== fold(c.quote).replace(/\s+/gu, ' ')) {
      card.append(h('p', { class: 'help' }, 'Quoted in the data as: ', h('q', { lang }, c.quote)));
    }
    if (found) {
      // The whole document, made when opened: a document can be long.
      const whole = h('details', {}, h('summary', {}, 'The whole document'));
      whole.addEventListener('toggle', () => {
        if (!whole.open || whole.children.length > 1) return;
        const body = h('div', { class: 'document', lang },
          found.chars.slice(0, found.start).join(''), h('mark', {}, found.quoted), found.chars.slice(found.end).join(''));
        whole.append(body);
        body.querySelector('mark').scrollIntoView({ block: 'center' });
      });
      card.append(whole);
    }
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

  surface.addEventListener('click', (event) => {
    const item = renderer.pick(event);
    if (item && item.edges) selectNode(item);
    else if (item) selectEdge(item);
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
      e.hidden = !visible;
      e.visible = visible;
      renderer.mark(e);
      if (visible) shown += 1;
    }
    const narrowed = claimFilter() || filter.disputed || !filter.links;
    let lit = 0;
    for (const n of nodes) {
      const on = !narrowed || n.edges.some((e) => e.visible)
        || (n.values || []).some((id) => claims.has(id) && claimShown(claims.get(id)));
      n.faded = !on;
      renderer.mark(n);
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
    for (const n of matches) if (n.match) { n.match = false; renderer.mark(n); }
    matches = list;
    if (list.length <= 200) for (const n of list) { n.match = true; renderer.mark(n); }
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
    else if (m[1] === 'edge' && edgeById.has(id)) selectEdge(edgeById.get(id), true);
    else openPanel('Not in this view', h('p', {}, `The link names ${m[1]} “${id}”, which this view does not have.`));
  }
  window.addEventListener('hashchange', follow);
  applyFilters();
  fit();
  follow();
  document.body.dataset.ready = 'true';
})();
