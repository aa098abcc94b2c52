// Locates screening hits in the message text and renders the text with the
// matched fields marked. A hit carries "field", "value" and, when the parser
// knows it, "offset": the BYTE offset (UTF-8) of the field in the request
// body. We convert it to a string index, then look for the value from there
// (case-insensitively, within the next few KB); when the value is not found
// literally (it may have been normalized), the rest of the field's line from
// the offset is marked instead. Hits without an offset are looked for
// anywhere in the text.

import { h } from './dom.js';

const WINDOW = 4096; // characters after the offset in which the value is looked for

// UTF-8 byte offset -> index into the JS (UTF-16) string.
function byteToIndex(bytes, off) {
  if (off <= 0) return 0;
  if (off >= bytes.length) return null;
  return new TextDecoder().decode(bytes.subarray(0, off)).length;
}

// Returns [{start, end, hits: [i...]}] ranges over `text` (string indexes,
// end exclusive) for hits[i]; hits that cannot be located are left out.
export function locate(text, hits) {
  const bytes = new TextEncoder().encode(text);
  const lower = text.toLowerCase();
  const same = lower.length === text.length; // lowercasing kept the indexes
  const out = [];
  hits.forEach((hit, i) => {
    const value = typeof hit.value === 'string' ? hit.value.trim() : '';
    let from = null;
    if (Number.isInteger(hit.offset)) from = byteToIndex(bytes, hit.offset);
    let start = -1;
    let end = -1;
    if (value) {
      const hay = same ? lower : text;
      const needle = same ? value.toLowerCase() : value;
      const at = hay.indexOf(needle, from ?? 0);
      if (at >= 0 && (from === null || at - from <= WINDOW)) {
        start = at;
        end = at + needle.length;
      }
    }
    if (start < 0 && from !== null) {
      start = from;
      const nl = text.indexOf('\n', from);
      end = nl < 0 ? text.length : nl;
      if (end === start) end = Math.min(text.length, start + 1);
    }
    if (start >= 0 && end > start) out.push({ start, end, hits: [i] });
  });
  return out;
}

const RANK = { BLOCK: 3, REVIEW: 2, PASS: 1 };

// <pre> with the text and <mark> elements over the located hits. Overlapping
// ranges are split at every boundary; a piece covered by several hits gets
// the strongest action's colour and every hit's reason in its title.
// markId(i) names hit i: every piece that carries it lists the name in its
// data-hits attribute (select with [data-hits~="NAME"]).
export function renderMarked(text, hits, markId) {
  const ranges = locate(text, hits);
  const cuts = new Set([0, text.length]);
  for (const r of ranges) {
    cuts.add(r.start);
    cuts.add(r.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pre = h('pre', { class: 'message', tabindex: '0', 'aria-label': 'Message text with matched fields marked' });
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k];
    const b = points[k + 1];
    const piece = text.slice(a, b);
    const cover = ranges.filter((r) => r.start <= a && r.end >= b).flatMap((r) => r.hits);
    if (!cover.length) {
      pre.appendChild(document.createTextNode(piece));
      continue;
    }
    let top = 'PASS';
    for (const i of cover) if ((RANK[hits[i].action] ?? 0) > (RANK[top] ?? 0)) top = hits[i].action;
    const title = cover.map((i) => `${hits[i].action}: ${hits[i].reason ?? hits[i].field}`).join('\n');
    const m = h('mark', {
      class: `hl hl-${String(top).toLowerCase()}`,
      title,
      'data-field': [...new Set(cover.map((i) => hits[i].field))].join(' '),
      'data-action': top,
      'data-hits': markId ? cover.map(markId).join(' ') : null,
    }, piece);
    pre.appendChild(m);
  }
  return { pre, located: new Set(ranges.flatMap((r) => r.hits)) };
}
