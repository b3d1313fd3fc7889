// The dashboard's HTML body: header with the live indicator and the "as of" picker, the
// pipeline of both cycles, the table of reviews, the needs charts, the implementation status of
// recommendations (issue 22) and the live event feed.
#include "services/http/dashboard_page.h"

namespace irm::services::http {

const char* DashboardMarkup() {
  return R"html(<header>
<h1>UNCAC Implementation Review Mechanism: where every review stands</h1>
<div class="controls">
<span id="connection" data-state="connecting" role="status" aria-live="polite">connecting</span>
<label>As of <input type="date" id="as-of" aria-describedby="as-of-note"></label>
<button type="button" id="live" class="primary">Live</button>
</div>
<span id="as-of-note" aria-live="polite"></span>
</header>
<main>
<section aria-labelledby="pipeline-title">
<h2 id="pipeline-title">Pipeline: reviews per stage</h2>
<div class="pipelines" id="pipelines"></div>
</section>
<section aria-labelledby="reviews-title">
<h2 id="reviews-title">Reviews</h2>
<form class="controls" id="filters" role="search" onsubmit="return false">
<label>Cycle <select id="f-cycle"><option value="">both</option><option value="1">1</option><option value="2">2</option></select></label>
<label>Region <select id="f-region"><option value="">all</option>
<option value="african">African</option><option value="asia_pacific">Asia-Pacific</option>
<option value="eastern_european">Eastern European</option>
<option value="latin_american_caribbean">Latin American and Caribbean</option>
<option value="western_european_other">Western European and other</option></select></label>
<label>Stage <select id="f-stage"><option value="">all</option></select></label>
<label>State <input id="f-text" type="search" placeholder="name or code" autocomplete="off"></label>
<label><span>Overdue only</span><input id="f-overdue" type="checkbox"></label>
<span id="count" class="muted" aria-live="polite"></span>
</form>
<div class="table-wrap">
<table class="reviews" id="reviews">
<caption class="muted" id="reviews-caption"></caption>
<thead><tr>
<th scope="col"><button type="button" data-sort="state" aria-sort="ascending">State</button></th>
<th scope="col"><button type="button" data-sort="region">Region</button></th>
<th scope="col"><button type="button" data-sort="cycle">Cycle</button></th>
<th scope="col"><button type="button" data-sort="year">Year</button></th>
<th scope="col"><button type="button" data-sort="stage">Stage</button></th>
<th scope="col">Reviewers</th>
<th scope="col">Visit or joint meeting</th>
<th scope="col">Executive summary</th>
<th scope="col">Publication</th>
<th scope="col"><button type="button" data-sort="overdue">Overdue steps</button></th>
</tr></thead>
<tbody></tbody>
</table>
</div>
</section>
<section aria-labelledby="needs-title">
<h2 id="needs-title">Technical-assistance needs</h2>
<div class="controls"><label>Cycle <select id="needs-cycle"><option value="2">2</option><option value="1">1</option><option value="">both</option></select></label>
<span id="needs-summary" class="muted"></span></div>
<div class="charts" id="charts"></div>
</section>
<section aria-labelledby="implementation-title">
<h2 id="implementation-title">Implementation of recommendations</h2>
<div class="controls"><span id="implementation-summary" class="muted"></span></div>
<div class="charts" id="implementation-charts"></div>
</section>
<section aria-labelledby="feed-title">
<h2 id="feed-title">Latest public events</h2>
<ol id="feed" aria-live="polite" tabindex="0" aria-label="latest public events, newest first"></ol>
</section>
</main>
<footer>Served by irmd from its event log; updates as events arrive. Public view unless you hold a token.</footer>
)html";
}

}  // namespace irm::services::http
