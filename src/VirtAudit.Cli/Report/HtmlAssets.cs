namespace VirtAudit.Cli.Report;

/// <summary>
/// The report page's inline style and script. Both are wrapped in CDATA sections inside comments, so the page is
/// well-formed XML (the tests parse it with System.Xml) and ordinary HTML at once; the page's Content-Security-Policy
/// allows exactly these two by their SHA-256 hash, so no other script or style can run even if escaping had failed.
/// </summary>
internal static class HtmlAssets
{
    public const string Style = """
/*<![CDATA[*/
:root{--bg:#fff;--fg:#1b1f24;--muted:#5b6570;--line:#d0d7de;--panel:#f6f8fa;--run:#2f6fbf;--runfail:#fbe1e1;--ok:#1f7a3a;--fail:#c8102e;--warn:#9a6700;--accent:#0a58ca;--mark:#444c56}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--panel:#161b22;--run:#4c8ed9;--runfail:#3d1d22;--ok:#56d364;--fail:#ff6b6b;--warn:#e3b341;--accent:#79b8ff;--mark:#c9d1d9}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
header,main{max-width:1200px;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.6rem;margin:.2rem 0}
h2{font-size:1.3rem;margin:1.6rem 0 .4rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1rem 0 .3rem}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible,.mark:focus-visible,.run:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.3rem 1rem;padding:0;margin:.5rem 0}
.muted{color:var(--muted)}
.notice{border-left:4px solid var(--warn);background:var(--panel);padding:.5rem .8rem;margin:.8rem 0}
.notice ul{margin:.2rem 0;padding-left:1.2rem}
.search{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:.8rem 0;position:sticky;top:0;background:var(--bg);padding:.4rem 0;z-index:2;border-bottom:1px solid var(--line)}
.search input{font:inherit;padding:.35rem .5rem;min-width:16rem;max-width:100%;flex:1 1 16rem;border:1px solid var(--line);border-radius:4px;background:var(--panel);color:var(--fg)}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.4rem 1rem;margin:.5rem 0}
.facts div{background:var(--panel);padding:.4rem .6rem;border-radius:4px}
.facts dt{font-size:.8rem;color:var(--muted)}
.facts dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:1rem}
.wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.3rem 0 .8rem;width:100%}
th,td{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}
th{background:var(--panel);white-space:nowrap}
th button{font:inherit;font-weight:600;background:none;border:0;color:var(--fg);cursor:pointer;padding:0}
th button::after{content:" \2195";color:var(--muted)}
th[aria-sort=ascending] button::after{content:" \2191"}
th[aria-sort=descending] button::after{content:" \2193"}
td.num,th.num{text-align:right;white-space:nowrap}
td.t{white-space:nowrap;overflow-wrap:normal}
.failed,.failed a{color:var(--fail);font-weight:600}
.ok{color:var(--ok)}
.tag{display:inline-block;border:1px solid var(--line);border-radius:3px;padding:0 .3rem;font-size:.8em;margin-right:.2rem}
.tag.failed{border-color:var(--fail)}
.guest{border-top:3px solid var(--line);margin-top:2rem}
.timeline{width:100%;height:auto;display:block;background:var(--panel);border-radius:4px;margin:.4rem 0}
.timeline text{fill:var(--fg);font:11px system-ui,sans-serif}
.timeline .axis{stroke:var(--line)}
.timeline .tick{fill:var(--muted)}
.run rect{fill:var(--run)}
.run.open rect{fill-opacity:.55}
.run.failed-start rect{fill:var(--runfail);stroke:var(--fail);stroke-width:2;stroke-dasharray:3 2}
.mark .shape{fill:var(--mark);stroke:var(--bg);stroke-width:1}
.mark.attach .shape{fill:var(--ok)}
.mark.detach .shape{fill:var(--warn)}
.mark.failed .shape{fill:var(--fail);stroke:var(--fail);stroke-width:1.5}
.mark.notsent .shape{stroke:var(--fail);stroke-dasharray:2 1}
.mark:hover .shape,.mark:focus .shape{stroke:var(--accent);stroke-width:2}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem;color:var(--muted);margin:0 0 .5rem;padding:0;list-style:none}
.legend svg{vertical-align:middle}
#tip{position:fixed;z-index:10;max-width:min(34rem,95vw);background:var(--bg);color:var(--fg);border:1px solid var(--line);box-shadow:0 4px 14px rgba(0,0,0,.25);border-radius:4px;padding:.4rem .6rem;font-size:.85rem;pointer-events:none}
#tip[hidden]{display:none}
dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:0 .6rem;margin:.2rem 0}
dl.fields dt{color:var(--muted)}
dl.fields dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}
details summary{cursor:pointer}
pre.raw{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2rem 0;font-size:.8em;background:var(--panel);padding:.2rem .4rem}
tr:target{outline:3px solid var(--accent)}
[id]{scroll-margin-top:4.5rem}
[hidden]{display:none!important}
@media (max-width:640px){body{font-size:14px}.hide-narrow{display:none}}
@media print{.search,nav,#tip{display:none!important}.guest{break-before:page}body{background:#fff;color:#000}a{color:#000}}
/*]]>*/
""";

    public const string Script = """
//<![CDATA[
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  function showTip(el) {
    var id = el.getAttribute("data-tip");
    var src = id ? document.getElementById(id) : null;
    if (!src) { return; }
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    tip.appendChild(src.cloneNode(true)).removeAttribute("id");
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var x = Math.min(Math.max(4, r.left), window.innerWidth - w - 4);
    var y = r.bottom + 6;
    if (y + h > window.innerHeight) { y = Math.max(4, r.top - h - 6); }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; }
  function target(e) { return e.target.closest ? e.target.closest("[data-tip]") : null; }
  document.addEventListener("mouseover", function (e) { var t = target(e); if (t) { showTip(t); } });
  document.addEventListener("mouseout", function (e) { var t = target(e); if (t) { hideTip(); } });
  document.addEventListener("focusin", function (e) { var t = target(e); if (t) { showTip(t); } else { hideTip(); } });
  document.addEventListener("focusout", hideTip);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hideTip(); } });

  var search = document.getElementById("search");
  var count = document.getElementById("search-count");
  var items = document.querySelectorAll("[data-search]");
  function filter() {
    var q = search.value.trim().toLowerCase();
    var shown = 0, total = 0;
    for (var i = 0; i < items.length; i++) {
      var it = items[i];
      var match = q === "" || it.getAttribute("data-search").indexOf(q) !== -1;
      it.hidden = !match;
      if (it.classList.contains("guest")) { total++; if (match) { shown++; } }
    }
    count.textContent = q === "" ? total + " guests" : shown + " of " + total + " guests match";
  }
  search.addEventListener("input", filter);
  filter();

  function key(cell) {
    if (!cell) { return { s: "" }; }
    var v = cell.getAttribute("data-sort");
    if (v === null) { v = cell.textContent.trim(); }
    var n = Number(v);
    return v !== "" && !isNaN(n) ? { n: n } : { s: v.toLowerCase() };
  }
  function compare(a, b) {
    if (a.n !== undefined && b.n !== undefined) { return a.n - b.n; }
    if (a.n !== undefined) { return -1; }
    if (b.n !== undefined) { return 1; }
    return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
  }
  var sortables = document.querySelectorAll("table.sortable");
  for (var t = 0; t < sortables.length; t++) {
    (function (table) {
      var heads = table.tHead.rows[0].cells;
      for (var c = 0; c < heads.length; c++) {
        (function (th, col) {
          var b = th.querySelector("button");
          if (!b) { return; }
          b.addEventListener("click", function () {
            var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
            for (var k = 0; k < heads.length; k++) { heads[k].removeAttribute("aria-sort"); }
            th.setAttribute("aria-sort", dir);
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (x, y) {
              var r = compare(key(x.cells[col]), key(y.cells[col]));
              return dir === "ascending" ? r : -r;
            });
            for (var r2 = 0; r2 < rows.length; r2++) { body.appendChild(rows[r2]); }
          });
        })(heads[c], c);
      }
    })(sortables[t]);
  }

  window.addEventListener("beforeprint", function () {
    var d = document.querySelectorAll("details");
    for (var i = 0; i < d.length; i++) { d[i].open = true; }
  });
})();
//]]>
""";
}
