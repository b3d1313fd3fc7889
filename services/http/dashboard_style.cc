// The dashboard's CSS. Stage colours run from grey (scheduled) through blues and teal to
// green (completed); overdue is marked in red with text, never by colour alone.
#include "services/http/dashboard_page.h"

namespace irm::services::http {

const char* DashboardStyle() {
  return R"css(
:root{--fg:#1b1b1b;--muted:#5a5f66;--line:#d0d4d9;--bg:#fff;--panel:#f5f7f9;--accent:#0b5cad;
--late:#b3261e;
--s-scheduled:#9aa0a6;--s-reviewers_drawn:#7d8fa3;--s-launched:#5b8bc9;
--s-focal_point_appointed:#3f7cc4;--s-kickoff_held:#2f6db5;--s-checklist_submitted:#2a5fa0;
--s-desk_review_done:#3b6fa0;--s-dialogue_held:#238b8b;--s-draft_report:#1f8a70;
--s-summary_approved:#3f9143;--s-completed:#1e7b34}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--fg);
background:var(--bg);line-height:1.4}
header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;
padding:.75rem 1rem;border-bottom:1px solid var(--line);background:var(--panel)}
header h1{font-size:1.2rem;margin:0}
main{padding:0 1rem 2rem;max-width:1400px;margin:0 auto}
h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
a{color:var(--accent)}
:focus-visible{outline:3px solid #f4b400;outline-offset:2px}
.controls{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}
.controls label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
input,select,button{font:inherit;padding:.3rem .5rem;border:1px solid var(--line);border-radius:4px;
background:#fff;color:var(--fg)}
button{cursor:pointer}
button.primary{background:var(--accent);color:#fff;border-color:var(--accent)}
#connection{font-size:.85rem;padding:.15rem .6rem;border-radius:1rem;background:#e8eaed}
#connection[data-state=live]{background:#dff3e4;color:#14532d}
#connection[data-state=reconnecting]{background:#fde7e7;color:var(--late)}
#connection[data-state=paused]{background:#fff4d6;color:#7a4d00}
#as-of-note{font-size:.9rem;color:#7a4d00}
.pipelines{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
.pipeline{border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem}
.pipeline h3{font-size:.95rem;margin:.2rem 0 .5rem}
.pipeline .bar{display:flex;height:18px;border-radius:3px;overflow:hidden;background:#eef0f2;margin-bottom:.5rem}
.pipeline .bar span{display:block;height:100%}
.pipeline ol{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:1fr auto auto;gap:.1rem .75rem;font-size:.85rem}
.pipeline li{display:contents}
.pipeline .n{text-align:right;font-variant-numeric:tabular-nums}
.pipeline .late{color:var(--late);text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.4em;vertical-align:-.05em}
.stage{display:inline-block;padding:.05rem .45rem;border-radius:.7rem;color:#fff;font-size:.8rem;white-space:nowrap}
.table-wrap{overflow-x:auto}
table.reviews{border-collapse:collapse;width:100%;font-size:.88rem}
table.reviews caption{caption-side:top;text-align:left;font-size:.8rem;padding:.25rem 0}
table.reviews th,table.reviews td{border-bottom:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
table.reviews th{position:sticky;top:0;background:var(--panel);white-space:nowrap}
table.reviews th button{border:0;background:none;padding:0;font-weight:600;color:var(--fg)}
table.reviews th button[aria-sort]::after{content:" \2195";color:var(--muted)}
table.reviews tr.changed{animation:flash 2s ease-out}
@keyframes flash{from{background:#fff3b0}to{background:transparent}}
.overdue{color:var(--late);font-weight:600}
.muted{color:var(--muted)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,470px),1fr));gap:1rem}
.chart-box{border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem;overflow-x:auto}
.chart-box h3{font-size:.95rem;margin:.2rem 0}
svg.chart text{font-size:12px;fill:var(--fg)}
svg.chart rect.bar{fill:#1f77b4}
#feed{list-style:none;margin:0;padding:0;font-size:.85rem;max-height:24rem;overflow-y:auto;border:1px solid var(--line);border-radius:6px}
#feed li{padding:.3rem .6rem;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:.25rem .75rem}
#feed .pos{color:var(--muted);font-variant-numeric:tabular-nums}
#feed .type{font-weight:600}
footer{padding:1rem;color:var(--muted);font-size:.8rem;text-align:center}
@media (max-width:720px){
 header h1{font-size:1.05rem}
 table.reviews thead{position:absolute;left:-9999px}
 table.reviews,table.reviews tbody,table.reviews tr,table.reviews td{display:block;width:100%}
 table.reviews tr{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.3rem}
 table.reviews td{border:0;padding:.15rem .3rem}
 table.reviews td::before{content:attr(data-label) ": ";color:var(--muted);font-size:.8rem}
}
)css";
}

}  // namespace irm::services::http
