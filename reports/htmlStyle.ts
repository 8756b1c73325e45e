// The HTML report's inline stylesheet and filter script, kept apart from the markup so each stays readable.
// The script is optional: without it every control is shown.

export const HTML_STYLE = `
:root { --pass:#1a7f37; --fail:#cf222e; --error:#bc4c00; --na:#6e7781; --waived:#8250df; --line:#d0d7de; --bg:#f6f8fa; --ink:#1f2328; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 0 24px 48px; }
header.verdict { padding: 20px 24px; color: #fff; }
header.verdict.passed { background: var(--pass); } header.verdict.failed { background: var(--fail); }
header.verdict h1 { margin: 0 0 4px; font-size: 24px; } header.verdict p { margin: 0; opacity: .95; }
h2 { margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); font-size: 20px; }
h3 { margin: 0; font-size: 16px; }
h3.area { margin: 24px 0 8px; font-size: 17px; text-transform: uppercase; letter-spacing: .04em; color: #57606a; }
.matrix-block h3 { margin: 12px 0 6px; }
code, .mono { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.manifest { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.manifest dt { font-weight: 600; color: #57606a; } dl.manifest dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); } .badge.error { background: var(--error); }
.badge.not-applicable { background: var(--na); } .badge.waived { background: var(--waived); }
.badge.sev { background: #fff; color: var(--ink); border: 1px solid var(--line); }
.badge.sev.critical { border-color: var(--fail); color: var(--fail); } .badge.sev.high { border-color: var(--error); color: var(--error); }
.count-fail { color: var(--fail); font-weight: 700; } .count-error { color: var(--error); font-weight: 700; }
.summary { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.filters { position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid var(--line); z-index: 2; display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.filters button { border: 1px solid var(--line); background: var(--bg); border-radius: 6px; padding: 2px 10px; cursor: pointer; font: inherit; }
.filters button[aria-pressed="true"] { background: var(--ink); color: #fff; }
.filters input { border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px; font: inherit; min-width: 220px; }
section.control { border: 1px solid var(--line); border-left: 6px solid var(--na); border-radius: 6px; margin: 12px 0; padding: 12px 16px; }
section.control.fail { border-left-color: var(--fail); } section.control.error { border-left-color: var(--error); }
section.control.pass { border-left-color: var(--pass); } section.control.waived { border-left-color: var(--waived); }
section.control > .head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
section.control p { margin: 6px 0; }
.refs { color: #57606a; font-size: 13px; }
.finding { border-top: 1px dashed var(--line); margin-top: 10px; padding-top: 8px; }
.finding .msg { font-weight: 600; }
.where { color: #57606a; }
.evidence td.kind { width: 100px; color: #57606a; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.evidence tbody.ev { border-top: 2px solid var(--line); }
.evidence th { width: 90px; background: #fff; color: #57606a; font-weight: 500; }
table.kv { width: auto; margin: 2px 0; font-size: 13px; } table.kv th { width: auto; background: var(--bg); }
ul.vals { margin: 0; padding-left: 18px; }
.exp { color: var(--pass); font-weight: 600; } .act { color: var(--fail); font-weight: 600; }
.fix { margin: 6px 0; padding: 6px 10px; background: #ddf4ff; border-left: 4px solid #0969da; border-radius: 4px; }
.fix pre.val { margin-top: 4px; font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.val { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 12em; overflow: auto; }
.matrix-wrap { overflow: auto; max-width: 100%; }
table.matrix { width: auto; }
table.matrix th.to { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 500; }
table.matrix th.from { white-space: nowrap; font-weight: 500; }
table.matrix td { min-width: 30px; height: 28px; text-align: center; padding: 0; font-weight: 700; }
td.allow { background: #dafbe1; color: var(--pass); } td.block { background: #ffebe9; color: var(--fail); }
td.mismatch { outline: 3px solid #bf8700; outline-offset: -3px; background: #fff8c5; color: #7d4e00; }
.legend span { display: inline-block; margin-right: 12px; }
.reach-filter input { border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px; font: inherit; min-width: 260px; margin: 4px 0 8px; }
details.reach-ns { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 6px 12px; }
details.reach-ns h4 { margin: 12px 0 6px; font-size: 14px; }
.waiver-note.expired { color: var(--fail); } .waiver-note.unmatched { color: var(--error); }
tr.expired td { color: var(--fail); } tr.expired td.status { font-weight: 700; }
tr.unmatched td.status { color: var(--error); font-weight: 600; }
details > summary { cursor: pointer; }
details.body > summary { color: #57606a; font-size: 13px; margin: 4px 0; }
footer { margin-top: 40px; color: #57606a; font-size: 12px; }
[hidden] { display: none !important; }
`;

/** Filters controls by result and free text, and reachability namespaces by name or pod; sets `hidden`, so a
 * browser without JS shows everything. */
export const HTML_SCRIPT = `
(function () {
  var active = 'all';
  var buttons = document.querySelectorAll('.filters button[data-filter]');
  var search = document.getElementById('filter-text');
  function apply() {
    var q = (search && search.value || '').toLowerCase();
    document.querySelectorAll('section.control').forEach(function (s) {
      var okResult = active === 'all' || s.getAttribute('data-result') === active;
      var okText = !q || s.textContent.toLowerCase().indexOf(q) !== -1;
      s.hidden = !(okResult && okText);
    });
  }
  buttons.forEach(function (b) {
    b.addEventListener('click', function () {
      active = b.getAttribute('data-filter');
      buttons.forEach(function (o) { o.setAttribute('aria-pressed', String(o === b)); });
      apply();
    });
  });
  if (search) search.addEventListener('input', apply);
  var reach = document.getElementById('reach-filter');
  if (reach) reach.addEventListener('input', function () {
    var q = reach.value.toLowerCase();
    document.querySelectorAll('details.reach-ns').forEach(function (d) {
      d.hidden = !!q && (d.getAttribute('data-search') || '').indexOf(q) === -1;
    });
  });
})();
`;
