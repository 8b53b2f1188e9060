// The teaching page: steps through a forward and a backward pass recorded by the engine. Every
// number comes from the data the engine wrote into the page; this script only shows it.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('data').textContent);
  const byId = new Map(data.nodes.map(n => [n.id, n]));
  const root = byId.get(data.root);
  const SVG = 'http://www.w3.org/2000/svg';

  // ---- small builders ----

  function el(tag, attributes, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes || {})) {
      if (k === 'class') {
        e.className = v;
      } else {
        e.setAttribute(k, v);
      }
    }
    e.append(...children);
    return e;
  }

  function tex(source, display) {
    const span = el('span', {class: 'tex'});
    // strict: a formula KaTeX would only guess at shows as an error, not as something else
    katex.render(source, span, {displayMode: !!display, throwOnError: false, strict: 'error'});
    return display ? el('div', {class: 'formula'}, span) : span;
  }

  /** A matrix in full ({rows, cols, entries}) or summarised ({rows, cols, summary}). */
  function matrix(m) {
    const size = {'data-rows': m.rows, 'data-cols': m.cols};
    if (m.summary) {
      return el('span', {class: 'summary', ...size}, m.summary);
    }
    const t = el('table', {class: 'matrix' + (m.rows * m.cols === 1 ? ' scalar' : ''), ...size});
    for (let r = 0; r < m.rows; r++) {
      const tr = el('tr');
      for (let c = 0; c < m.cols; c++) {
        tr.append(el('td', {}, m.entries[r * m.cols + c]));
      }
      t.append(tr);
    }
    return t;
  }

  function scalar(value) {
    return matrix({rows: 1, cols: 1, entries: [value]});
  }

  function shaped(n, m) {
    return [matrix(m), el('span', {class: 'shape'}, n.shape)];
  }

  function plural(count, word) {
    return count + ' ' + word + (count === 1 ? '' : 's');
  }

  // ---- the graphs: Graphviz's SVG when the page has one, else a layout of its own ----

  const FIELDS = ['name', 'op', 'value', 'grad'];

  function graph(container, nodes, withGrad) {
    const svg = container.querySelector('svg') || layout(container, nodes, withGrad);
    const boxes = new Map();
    for (const g of svg.querySelectorAll('g.node')) {
      const id = Number(g.querySelector('title').textContent.trim().slice(1));
      // the fields of a node, in the order Dot writes them
      g.querySelectorAll('text').forEach((t, i) => t.classList.add(FIELDS[i] || 'more'));
      g.dataset.node = id;
      boxes.set(id, g);
    }
    const edges = [];
    for (const g of svg.querySelectorAll('g.edge')) {
      const ends = g.querySelector('title').textContent.split('->');
      const [from, to] = ends.map(s => Number(s.trim().slice(1)));
      edges.push({g, from, to});
    }
    return {svg, nodes: boxes, edges};
  }

  function svgElement(tag, attributes, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attributes)) {
      e.setAttribute(k, v);
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  /** Columns from left to right as Graphviz's rankdir=LR: a node right of all its inputs. */
  function layout(container, nodes, withGrad) {
    const LINE = 15, PAD = 6, GAP_X = 50, GAP_Y = 16;
    const svg = svgElement('svg', {xmlns: SVG});
    container.append(svg);
    const edgeLayer = svgElement('g', {});
    const nodeLayer = svgElement('g', {});
    svg.append(edgeLayer, nodeLayer);
    const ids = new Set(nodes.map(n => n.id));
    const inputs = n => n.inputs.filter(i => ids.has(i));
    const consumers = new Map(nodes.map(n => [n.id, []]));
    nodes.forEach(n => inputs(n).forEach(i => consumers.get(i).push(n.id)));
    const rank = new Map();
    nodes.forEach(n => rank.set(n.id, Math.max(0, ...inputs(n).map(i => rank.get(i) + 1))));
    // a leaf sits just left of its first consumer rather than far away in the first column
    for (const n of nodes.filter(n => n.inputs.length === 0 && consumers.get(n.id).length)) {
      rank.set(n.id, Math.min(...consumers.get(n.id).map(c => rank.get(c))) - 1);
    }
    const box = new Map();
    for (const n of nodes) {
      const g = svgElement('g', {class: 'node'});
      g.append(svgElement('title', {}, 'n' + n.id));
      const fill = {variable: '#dbeafe', constant: '#eeeeee'}[n.kind] || 'white';
      const heavy = withGrad && n.gradText !== null;
      const rect = svgElement('rect', {fill, stroke: 'black', 'stroke-width': heavy ? 2 : 1});
      g.append(rect);
      const lines = [n.name, n.kindOrOp + ' ' + n.shape, 'value ' + n.valueText];
      if (heavy) {
        lines.push('grad ' + n.gradText);
      }
      const centred = {'text-anchor': 'middle', 'font-size': 10};
      const texts = lines.map(l => svgElement('text', centred, l));
      g.append(...texts);
      nodeLayer.append(g);
      const width = Math.max(40, ...texts.map(t => t.getComputedTextLength())) + 2 * PAD;
      box.set(n.id, {g, rect, texts, width, height: lines.length * LINE + PAD});
    }
    const columns = [];
    nodes.forEach(n => (columns[rank.get(n.id)] = columns[rank.get(n.id)] || []).push(n));
    const column = columns.filter(c => c);
    // order each column by the mean place of the nodes joined to its nodes, over a few sweeps
    const place = new Map();
    column.forEach(c => c.forEach((n, i) => place.set(n.id, i)));
    const mean = n => {
      const near = inputs(n).concat(consumers.get(n.id));
      return near.length ? near.reduce((s, i) => s + place.get(i), 0) / near.length
        : place.get(n.id);
    };
    for (let sweep = 0; sweep < 4; sweep++) {
      for (const c of column) {
        c.sort((a, b) => mean(a) - mean(b));
        c.forEach((n, i) => place.set(n.id, i));
      }
    }
    const heights = column.map(c => c.reduce((s, n) => s + box.get(n.id).height + GAP_Y, -GAP_Y));
    const tallest = Math.max(...heights);
    let x = 8;
    column.forEach((c, k) => {
      const w = Math.max(...c.map(n => box.get(n.id).width));
      let y = 8 + (tallest - heights[k]) / 2;
      for (const n of c) {
        const b = box.get(n.id);
        Object.assign(b, {x: x + (w - b.width) / 2, y});
        for (const [k, v] of Object.entries({x: b.x, y: b.y, width: b.width, height: b.height})) {
          b.rect.setAttribute(k, v);
        }
        b.texts.forEach((t, i) => {
          const top = b.y + PAD / 2 + LINE * i;
          t.setAttribute('x', b.x + b.width / 2);
          t.setAttribute('y', top + 0.75 * LINE);
          if (i > 0) {
            const rule = {x1: b.x, x2: b.x + b.width, y1: top, y2: top, stroke: 'black'};
            b.g.insertBefore(svgElement('line', {...rule, 'stroke-width': 0.5}), t);
          }
        });
        y += b.height + GAP_Y;
      }
      x += w + GAP_X;
    });
    for (const n of nodes) {
      n.inputs.forEach((i, k) => {
        if (!ids.has(i)) {
          return;
        }
        const a = box.get(i), b = box.get(n.id);
        const x1 = a.x + a.width, y1 = a.y + a.height / 2, x2 = b.x - 6, y2 = b.y + b.height / 2;
        const bend = Math.max(20, (x2 - x1) / 2);
        const g = svgElement('g', {class: 'edge'});
        g.append(svgElement('title', {}, 'n' + i + '->n' + n.id));
        g.append(svgElement('path', {fill: 'none', stroke: 'black',
          d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`}));
        g.append(svgElement('polygon', {fill: 'black', stroke: 'black',
          points: `${x2},${y2 - 3.5} ${x2 + 6},${y2} ${x2},${y2 + 3.5}`}));
        if (n.inputs.length > 1) { // which input, as Dot labels it
          const at = {x: x2 - 8, y: y2 - 4, 'font-size': 9, 'text-anchor': 'end'};
          g.append(svgElement('text', at, String(k)));
        }
        edgeLayer.append(g);
      });
    }
    svg.setAttribute('width', x);
    svg.setAttribute('height', tallest + 16);
    svg.setAttribute('viewBox', `0 0 ${x} ${tallest + 16}`);
    return svg;
  }

  const forward = graph(document.querySelector('#forward-graph .svg'), data.nodes, true);
  const backward = data.backward
    ? graph(document.querySelector('#backward-graph .svg'), data.backward.nodes, false) : null;

  // ---- the positions: the leaves, each op in tape order, then each backward step by terms ----

  const ops = data.nodes.filter(n => n.expr !== null);
  const positions = [{phase: 'forward', node: -1}];
  ops.forEach(n => positions.push({phase: 'forward', node: n.id}));
  data.steps.forEach((s, i) => {
    for (let k = 0; k < Math.max(1, s.terms.length); k++) {
      positions.push({phase: 'backward', step: i, node: s.node, term: s.terms.length ? k : -1});
    }
  });
  const stepOf = new Map(data.steps.map((s, i) => [s.node, i]));
  let at = 0;

  function show(position) {
    at = Math.max(0, Math.min(positions.length - 1, position));
    const p = positions[at];
    for (const id of ['first', 'prev']) {
      document.getElementById(id).disabled = at === 0;
    }
    for (const id of ['next', 'last']) {
      document.getElementById(id).disabled = at === positions.length - 1;
    }
    const op = ops.findIndex(n => n.id === p.node) + 1;
    const step = data.steps[p.step];
    document.getElementById('position').textContent = p.phase === 'forward'
      ? 'forward pass: ' + (p.node < 0 ? 'the leaves' : `op ${op} of ${ops.length}`)
      : `backward pass: step ${p.step + 1} of ${data.steps.length}`
        + (p.term >= 0 ? `, term ${p.term + 1} of ${step.terms.length}` : '');
    decorate(p);
    follow(p);
    if (location.hash !== '#' + at) {
      history.replaceState(null, '', '#' + at);
    }
    const panel = document.getElementById('step');
    Object.assign(panel.dataset, {position: at, phase: p.phase, node: p.node,
      term: p.term === undefined ? -1 : p.term});
    panel.replaceChildren(...(p.phase === 'forward' ? forwardPanel(p) : backwardPanel(p)));
  }

  /** Lights the current node and those joined to it; shows the values and gradients known. */
  function decorate(p) {
    const step = p.phase === 'backward' ? data.steps[p.step] : null;
    const consumers = new Set(step ? step.terms.map(t => t.consumer) : []);
    const active = step && p.term >= 0 ? step.terms[p.term].consumer : null;
    const operands = new Set(!step && p.node >= 0 ? byId.get(p.node).inputs : []);
    for (const [id, g] of forward.nodes) {
      const n = byId.get(id);
      const computed = step !== null || n.expr === null || id <= p.node;
      g.classList.toggle('future', !computed);
      g.classList.toggle('current', id === p.node);
      g.classList.toggle('operand', operands.has(id));
      g.classList.toggle('consumer', consumers.has(id));
      g.classList.toggle('active', id === active);
      const value = g.querySelector('text.value');
      if (value) {
        value.classList.toggle('hidden', !computed);
      }
      const grad = g.querySelector('text.grad');
      if (grad) {
        const done = step !== null && stepOf.has(id) && stepOf.get(id) < p.step;
        // the current node's sum so far, until its last term is in
        const partial = step !== null && id === p.node && p.term < step.terms.length - 1;
        grad.textContent = 'grad ' + (partial ? step.terms[p.term].partialText : n.gradText);
        grad.classList.toggle('hidden', !(done || id === p.node && step !== null));
        grad.classList.toggle('partial', partial);
      }
    }
    for (const e of forward.edges) {
      e.g.classList.toggle('lit', step ? e.from === p.node && e.to === active
        : p.node >= 0 && e.to === p.node);
    }
  }

  /** Scrolls the graph, not the page, to show the current node and the nodes it is joined to. */
  function follow(p) {
    const step = p.phase === 'backward' ? data.steps[p.step] : null;
    const joined = p.node < 0 ? []
      : step ? step.terms.map(t => t.consumer) : byId.get(p.node).inputs;
    const boxes = [p.node].concat(joined).map(id => forward.nodes.get(id)).filter(g => g)
      .map(g => g.getBoundingClientRect());
    if (boxes.length === 0) {
      return;
    }
    const view = document.querySelector('#forward-graph .svg');
    const c = view.getBoundingClientRect();
    const left = Math.min(...boxes.map(r => r.left)), right = Math.max(...boxes.map(r => r.right));
    const top = Math.min(...boxes.map(r => r.top)), bottom = Math.max(...boxes.map(r => r.bottom));
    if (left < c.left || right > c.right) {
      view.scrollLeft += (left + right) / 2 - (c.left + c.right) / 2;
    }
    if (top < c.top || bottom > c.bottom) {
      view.scrollTop += (top + bottom) / 2 - (c.top + c.bottom) / 2;
    }
  }

  function heading(text, aside) {
    return el('h2', {}, text, el('span', {class: 'phase'}, aside));
  }

  function header(...names) {
    return el('tr', {}, ...names.map(n => el('th', {}, n)));
  }

  function forwardPanel(p) {
    if (p.node < 0) {
      const rows = data.nodes.filter(n => n.expr === null).map(n => el('tr', {'data-node': n.id},
        el('td', {}, tex(n.tex)), el('td', {}, n.kindOrOp),
        el('td', {class: 'value'}, ...shaped(n, n.value))));
      return [heading('Forward pass: the leaves', 'inputs and parameters'),
        el('table', {class: 'values'}, header('leaf', 'kind', 'value'), ...rows)];
    }
    const n = byId.get(p.node);
    const rows = n.inputs.map(i => byId.get(i)).map(x => el('tr', {'data-node': x.id},
      el('td', {}, tex(x.tex)), el('td', {class: 'value'}, ...shaped(x, x.value))));
    return [heading('Forward pass', `${n.kindOrOp}, ${n.shape}`),
      tex(n.tex + ' = ' + n.expr, true),
      el('table', {class: 'values'}, header('input', 'value'), ...rows),
      el('div', {class: 'result', 'data-node': n.id}, tex(n.tex + ' ='), ' ',
        ...shaped(n, n.value))];
  }

  function backwardPanel(p) {
    const step = data.steps[p.step];
    const n = byId.get(step.node);
    if (step.terms.length === 0) {
      const one = n.value.rows * n.value.cols === 1;
      return [heading('Backward pass', 'the seed'),
        tex(n.dTex + ' = ' + (one ? '1' : '\\text{the seed}'), true),
        el('div', {id: 'partial', 'data-final': 'true'}, tex(n.dTex + ' ='), ' ', matrix(n.grad),
          ' ', el('span', {class: 'note'}, 'where every backward pass starts'))];
    }
    const shown = p.term + 1;
    const count = step.terms.length;
    const rows = step.terms.map((t, k) => el('tr', {
      class: 'term ' + (k < shown ? 'shown' : 'pending') + (k === p.term ? ' active' : ''),
      'data-consumer': t.consumer, 'data-input': t.input},
    el('td', {}, tex(byId.get(t.consumer).tex)),
    el('td', {}, tex(t.prod)),
    el('td', {}, tex('= ' + t.formula)),
    el('td', {class: 'value'}, k < shown ? matrix(t.value) : '…')));
    const final = shown === count;
    const sum = el('div', {id: 'partial', 'data-final': String(final)},
      final ? tex(n.dTex + ' =') : el('span', {}, `the first ${shown} of ${count} terms add up to`),
      ' ', matrix(step.terms[p.term].partial), ' ',
      final ? el('span', {class: 'check'}, '✓ the gradient backward returned') : '');
    return [heading('Backward pass', count > 1 ? `${count} consumers: their terms add up`
        : 'one consumer'),
      tex(n.dTex + ' = ' + step.terms.map(t => t.prod).join(' + '), true),
      el('p', {class: 'note'}, `Every consumer of ${n.name} is done, so its gradient is final `
        + 'once their terms are in: each term is that consumer\'s vector-Jacobian product for '
        + `${n.name}, added in the order the engine adds it.`),
      el('table', {class: 'terms'}, header('consumer c', 'term', 'local step', 'value'), ...rows),
      sum];
  }

  // ---- every path to J ----

  const ledgerNode = document.getElementById('ledger-node');
  const ledgerEntry = document.getElementById('ledger-entry');
  document.getElementById('ledger-root').append(tex(root.tex));
  for (const s of data.steps) {
    if (data.ledgers[s.node]) {
      ledgerNode.append(el('option', {value: s.node}, byId.get(s.node).name));
    }
  }

  function chooseLedger(id) {
    const l = data.ledgers[id];
    if (!l) {
      return;
    }
    ledgerNode.value = id;
    ledgerEntry.replaceChildren(el('option', {value: -1}, 'the whole node'),
      ...(l.entries || []).map((e, k) => el('option', {value: k}, e.label)));
    ledgerEntry.disabled = !l.entries;
    showLedger();
  }

  function showLedger() {
    const id = Number(ledgerNode.value);
    const l = data.ledgers[id];
    const n = byId.get(id);
    const entry = Number(ledgerEntry.value);
    const e = entry >= 0 ? l.entries[entry] : null;
    for (const [k, g] of forward.nodes) {
      g.classList.toggle('chosen', k === id);
    }
    const paths = e ? e.paths : l.paths;
    const rows = paths.map(p => el('tr', {class: 'path'},
      el('td', {class: 'route'}, p.route),
      el('td', {}, e ? el('span', {class: 'locals'}, p.locals.join(' · ')) : tex(p.chain)),
      el('td', {class: 'value'}, e ? scalar(p.value) : matrix(p.value))));
    const complete = e ? e.complete : l.complete;
    const target = e ? e.label : n.name;
    const sum = el('tr', {class: 'sum'}, el('td', {}, 'sum'),
      el('td', {}, complete ? el('span', {class: 'check'}, `= ∂${root.name}/∂${target} ✓`)
        : el('span', {class: 'note'}, `only the first ${paths.length} paths are listed`)),
      el('td', {class: 'value'}, e ? scalar(e.sum) : matrix(l.sum)));
    const what = e
      ? ' entry by entry: each local derivative is a number, and a path\'s product is theirs.'
        + ' A path through a local derivative of 0 adds nothing and is not listed.'
      : `: each product is the vector-Jacobian products along the path from ${root.name} down,`
        + ` shaped like ${target}.`;
    const body = document.getElementById('ledger-body');
    Object.assign(body.dataset, {node: id, entry});
    body.replaceChildren(el('p', {class: 'note'}, plural(paths.length, 'path') + ' from '
        + target + what),
      el('table', {class: 'paths'},
        header('path', e ? 'local derivatives' : 'product of local derivatives', 'value'),
        ...rows, sum));
  }

  ledgerNode.addEventListener('change', () => chooseLedger(Number(ledgerNode.value)));
  ledgerEntry.addEventListener('change', showLedger);
  for (const [id, g] of forward.nodes) {
    g.addEventListener('click', () => chooseLedger(id));
  }
  chooseLedger(data.ledgerStart);

  // ---- the recorded backward graph ----

  const toggle = document.getElementById('show-backward');
  const gradientSelect = document.getElementById('gradient-select');
  if (backward) {
    gradientSelect.append(el('option', {value: -1}, 'every gradient'),
      ...data.backward.gradients.map(g => el('option', {value: g.id}, g.name)));
    const recorded = new Map(data.backward.nodes.map(n => [n.id, n]));
    gradientSelect.addEventListener('change', () => {
      // what the chosen gradient is computed from stays lit
      const chosen = Number(gradientSelect.value);
      const from = new Set();
      for (const stack = chosen >= 0 ? [chosen] : []; stack.length;) {
        const id = stack.pop();
        if (!from.has(id)) {
          from.add(id);
          stack.push(...recorded.get(id).inputs);
        }
      }
      for (const [id, g] of backward.nodes) {
        g.classList.toggle('outside', chosen >= 0 && !from.has(id));
      }
      for (const e of backward.edges) {
        e.g.classList.toggle('outside', chosen >= 0 && !from.has(e.to));
      }
    });
  } else {
    toggle.disabled = true;
  }

  function showBackward(on) {
    toggle.checked = on && backward !== null;
    document.getElementById('backward-graph').hidden = !toggle.checked;
    resize(zoom.value); // a graph that was hidden had no width to fit to
  }
  toggle.addEventListener('change', () => showBackward(toggle.checked));

  // ---- the graphs' size: fitted to the page, or at a scale that keeps their text readable ----

  const zoom = document.getElementById('zoom');
  const graphs = [forward, backward].filter(g => g);
  for (const g of graphs) {
    g.natural = {width: g.svg.width.baseVal.value, height: g.svg.height.baseVal.value};
  }

  function resize(value) {
    zoom.value = value;
    for (const g of graphs) {
      const room = g.svg.parentElement.clientWidth;
      const scale = value === 'fit' ? Math.min(1, room / g.natural.width || 1) : Number(value);
      g.svg.style.width = g.natural.width * scale + 'px';
      g.svg.style.height = g.natural.height * scale + 'px';
    }
    follow(positions[at]);
  }
  zoom.addEventListener('change', () => resize(zoom.value));
  window.addEventListener('resize', () => zoom.value === 'fit' && resize('fit'));
  // fitted, unless that would shrink the text below three quarters of its size
  const room = document.querySelector('#forward-graph .svg').clientWidth;
  resize(forward.natural.width * 0.75 <= room ? 'fit' : '0.75');

  // ---- buttons and keys ----

  document.getElementById('first').addEventListener('click', () => show(0));
  document.getElementById('prev').addEventListener('click', () => show(at - 1));
  document.getElementById('next').addEventListener('click', () => show(at + 1));
  document.getElementById('last').addEventListener('click', () => show(positions.length - 1));
  document.addEventListener('keydown', event => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName);
    if (event.altKey || event.ctrlKey || event.metaKey || typing) {
      return;
    }
    const moves = {ArrowRight: at + 1, ArrowLeft: at - 1, PageDown: at + 1, PageUp: at - 1,
      Home: 0, End: positions.length - 1, n: at + 1, p: at - 1};
    if (event.key in moves) {
      show(moves[event.key]);
    } else if (event.key === 'b' || event.key === 'B') {
      showBackward(!toggle.checked);
    } else if (event.key === 'f' || event.key === 'F') {
      resize(zoom.value === 'fit' ? '0.75' : 'fit');
    } else {
      return;
    }
    event.preventDefault();
  });
  const start = /^#(\d+)$/.exec(location.hash);
  show(start ? Number(start[1]) : 0);
  document.body.dataset.ready = 'true';
})();
