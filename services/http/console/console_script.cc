// The console's script (GET /console.js) and stylesheet (GET /console.css), served as files
// so the pages' Content-Security-Policy allows no inline code.
//
// The script submits every form[data-command] with fetch (form-encoded, Accept:
// application/json), shows the answer in #alert (role=alert) and re-renders the page's
// <main> and the root element's data-* attributes from a fresh GET, without a reload. It
// follows /api/events for the page's stream prefix (data-stream on <main>) and re-renders
// the same way when an event arrives, but not while a form holds unsent input.
#include "services/http/console/console_pages.h"

namespace irm::services::http {

const char* ConsoleScript() {
  return R"JS('use strict';
(function () {
  const box = () => document.getElementById('alert');
  function say(text, error) {
    const a = box();
    if (!a) return;
    a.textContent = text;
    a.className = error ? 'error' : 'ok';
  }
  // True while a form of the page holds something the user typed or ticked: a live
  // re-render then waits, so it never throws away input (or swaps a form under a click).
  function typing() {
    for (const el of document.querySelectorAll('main form[data-command] select')) {
      const d = [...el.options].findIndex(o => o.defaultSelected);
      if (el.selectedIndex !== (d < 0 ? 0 : d)) return true;
    }
    for (const el of document.querySelectorAll('main form[data-command] input')) {
      if (el.type === 'hidden') continue;
      if (el.value !== el.defaultValue || el.checked !== el.defaultChecked) return true;
    }
    return false;
  }
  // Re-renders <main> from a fresh GET. Unless `force` (after the user's own submit), it
  // gives up when a form holds unsent input by the time the page arrives; false then.
  async function refresh(force) {
    const res = await fetch(location.pathname + location.search,
                            { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
    if (!res.ok) return true;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const fresh = doc.querySelector('main');
    const old = document.querySelector('main');
    if (!fresh || !old) return true;
    if (!force && typing()) return false;
    for (const name of ['data-state', 'data-cycle', 'data-stage']) {
      const v = doc.documentElement.getAttribute(name);
      if (v !== null) document.documentElement.setAttribute(name, v);
    }
    old.replaceWith(fresh);
    document.dispatchEvent(new CustomEvent('console:refreshed'));
    return true;
  }
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!form.matches('form[data-command]')) return;
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    try {
      const res = await fetch(form.action, {
        method: 'POST', body: new URLSearchParams(new FormData(form)),
        headers: { Accept: 'application/json' }, credentials: 'same-origin',
      });
      let body = {};
      try { body = await res.json(); } catch (e) { /* not JSON */ }
      if (res.ok) {
        await refresh(true);  // the page shows the new state before the answer is announced
        say(body.message || 'Recorded.', false);
      } else {
        say((body.error && body.error.message) || ('Refused: HTTP ' + res.status), true);
        if (button) button.disabled = false;
      }
    } catch (e) {
      say('irmd did not answer: ' + e.message, true);
      if (button) button.disabled = false;
    }
    const a = box();
    if (a) a.focus();
  });
  let timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (typing() || !(await refresh(false))) later();
    }, 200);
  }
  function connect() {
    const main = document.querySelector('main');
    const prefix = (main && main.dataset.stream) || 'review-';
    const from = main && main.dataset.position ? Number(main.dataset.position) + 1 : 'end';
    const source = new EventSource('/api/events?from=' + from + '&stream_prefix=' +
                                   encodeURIComponent(prefix));
    source.onmessage = later;
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
    };
  }
  if (document.querySelector('main')) connect();
})();
)JS";
}

const char* ConsoleStyle() {
  return R"CSS(body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;padding:.5rem 1rem;
background:#eef2f6;border-bottom:1px solid #c8d1db}
header nav a{margin-right:1rem}.who{margin:0}.logout{margin:0 0 0 auto}
main{padding:0 1rem 2rem;max-width:72rem}
#alert:empty{display:none}#alert{margin:.75rem 1rem;padding:.5rem .75rem;border-radius:4px;
background:#e8f5e9;border:1px solid #6a9f6c}#alert.error{background:#fdecea;border-color:#c62828}
a{color:#0b4f8a}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,#alert:focus{
outline:3px solid #f0a500;outline-offset:2px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
dd{margin:0}
form[data-command]{border:1px solid #c8d1db;border-radius:6px;padding:.5rem 1rem;margin:.75rem 0;
max-width:34rem}
form[data-command] h3{margin:.25rem 0 .5rem;font-size:1rem}
form p{margin:.4rem 0}label{display:block;font-weight:500}.check label{display:inline;margin-left:.4rem}
input[type=text],input[type=date],input[type=email],input[type=number],select{font:inherit;
padding:.3rem;width:100%;box-sizing:border-box;max-width:24rem}
button{font:inherit;padding:.35rem .9rem;cursor:pointer}
.scroll{overflow-x:auto}table{border-collapse:collapse;margin:.5rem 0}
th,td{border-bottom:1px solid #dde3ea;padding:.3rem .6rem;text-align:left;vertical-align:top}
.overdue{color:#b00020}tr.void td{text-decoration:line-through;color:#666}
.asof{display:flex;gap:.5rem;align-items:end;margin:.5rem 0}.asof label{display:inline}
.asof input{width:auto}
@media (max-width:600px){main{padding:0 .5rem 2rem}dl.facts{grid-template-columns:1fr}
dt{margin-top:.4rem}form[data-command]{padding:.5rem}header{padding:.5rem}.logout{margin:0}}
)CSS";
}

}  // namespace irm::services::http
