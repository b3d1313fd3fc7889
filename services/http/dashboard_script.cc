// The dashboard's script: loads /api/reviews, /api/needs and /api/outcomes, then follows
// /api/events with EventSource and updates the table, pipeline, charts and feed in place.
// On a lost stream the browser reconnects with Last-Event-ID (no gap, no duplicate); if the
// stream is closed for good, the script opens a new one from the last id it saw.
#include "services/http/dashboard_page.h"

namespace irm::services::http {

const char* DashboardScript() {
  return R"js('use strict';
const STAGES=['scheduled','reviewers_drawn','launched','focal_point_appointed','kickoff_held',
'checklist_submitted','desk_review_done','dialogue_held','draft_report','summary_approved','completed'];
const REGIONS={african:'African',asia_pacific:'Asia-Pacific',eastern_european:'Eastern European',
latin_american_caribbean:'Latin American and Caribbean',western_european_other:'Western European and other'};
const $=id=>document.getElementById(id);
const reviews=new Map();          // "KEN-2" -> review object of /api/reviews
let asOf='';                      // '' = live
let sortKey='state',sortUp=true;
let lastId=0;                     // the last event id seen
let snapshotPosition=0;           // events up to here are already in the table
let source=null,retryTimer=null,needsTimer=null;
const key=r=>r.state+'-'+r.cycle;
const stageLabel=s=>s.replace(/_/g,' ');
function el(tag,attrs,...kids){const e=document.createElement(tag);
 for(const [k,v] of Object.entries(attrs||{})){if(k==='text')e.textContent=v;else e.setAttribute(k,v);}
 for(const k of kids)if(k!=null)e.append(k);return e;}
function stageBadge(s){return el('span',{class:'stage',style:'background:var(--s-'+s+',#777)',text:stageLabel(s)});}
function dialogueText(r){
 let t=r.dialogue==='country_visit'?'country visit'+(r.visit_from?' '+r.visit_from+' to '+(r.visit_to||'?'):''):
  r.dialogue==='joint_meeting'?'joint meeting':r.dialogue==='none'?'direct dialogue declined':'not yet';
 if(r.visit_postponements>0)t+=' ('+r.visit_postponements+' postponement'+(r.visit_postponements>1?'s':'')+')';
 return t;}
function summaryText(r){return r.summary_issued_on?'issued '+r.summary_issued_on:
 r.summary_approved_on?'approved '+r.summary_approved_on+', not yet issued':'not yet';}
function publicationText(r){const p=[];
 if(r.publication==='published')p.push('full report published');
 else if(r.publication==='declined')p.push('full report not published');
 if(r.checklist_published)p.push('checklist published');return p.length?p.join('; '):'-';}
function overdueCell(r){
 if(!r.next_step)return el('span',{class:'muted',text:'none (completed)'});
 const due=r.next_deadline?' by '+r.next_deadline:'';
 return r.overdue?el('span',{class:'overdue',text:'OVERDUE: '+r.next_step+due}):
  el('span',{class:'muted',text:'next '+r.next_step+due});}
function row(r){
 const tr=el('tr',{'data-state':r.state,'data-cycle':String(r.cycle),'data-stage':r.stage,
  'data-overdue':String(!!r.overdue),'data-region':r.region});
 const cell=(label,...kids)=>tr.append(el('td',{'data-label':label},...kids));
 cell('State',el('abbr',{title:r.name||r.state,text:r.state}),' ',el('span',{class:'muted',text:r.name||''}));
 cell('Region',REGIONS[r.region]||r.region);
 cell('Cycle',String(r.cycle));cell('Year',String(r.year));
 cell('Stage',stageBadge(r.stage));
 cell('Reviewers',r.reviewers&&r.reviewers.length?r.reviewers.map(c=>c||'(open)').join(', '):'-');
 cell('Visit or joint meeting',dialogueText(r));
 cell('Executive summary',summaryText(r));
 cell('Publication',publicationText(r));
 cell('Overdue steps',overdueCell(r));
 return tr;}
function visible(r){
 const c=$('f-cycle').value,g=$('f-region').value,s=$('f-stage').value,t=$('f-text').value.trim().toLowerCase();
 return(!c||String(r.cycle)===c)&&(!g||r.region===g)&&(!s||r.stage===s)&&(!$('f-overdue').checked||r.overdue)&&
  (!t||r.state.toLowerCase().includes(t)||(r.name||'').toLowerCase().includes(t));}
function compare(a,b){
 const v=r=>sortKey==='stage'?STAGES.indexOf(r.stage):sortKey==='overdue'?(r.overdue?0:1):r[sortKey];
 const x=v(a),y=v(b);let d=x<y?-1:x>y?1:0;if(!d)d=a.state<b.state?-1:a.state>b.state?1:a.cycle-b.cycle;
 return sortUp?d:-d;}
function renderTable(changed){
 const body=$('reviews').tBodies[0];const rows=[...reviews.values()].filter(visible).sort(compare);
 const fresh=rows.map(r=>{const tr=row(r);if(changed&&changed.has(key(r)))tr.classList.add('changed');return tr;});
 body.replaceChildren(...fresh);
 $('count').textContent=rows.length+' of '+reviews.size+' reviews';
 $('reviews-caption').textContent=asOf?'As it stood at the end of '+asOf:'Live';}
function renderPipeline(){
 const box=$('pipelines');box.replaceChildren();
 for(const cycle of [1,2]){
  const counts=Object.fromEntries(STAGES.map(s=>[s,[0,0]]));let total=0;
  for(const r of reviews.values())if(r.cycle===cycle&&counts[r.stage]){counts[r.stage][0]++;counts[r.stage][1]+=r.overdue?1:0;total++;}
  const bar=el('div',{class:'bar',role:'img','aria-label':'cycle '+cycle+': '+total+' reviews by stage'});
  const list=el('ol',{});
  list.append(el('li',{},el('span',{class:'muted',text:'stage'}),el('span',{class:'n muted',text:'reviews'}),el('span',{class:'late muted',text:'overdue'})));
  for(const s of STAGES){const [n,late]=counts[s];
   if(n)bar.append(el('span',{style:'width:'+(100*n/total)+'%;background:var(--s-'+s+')',title:stageLabel(s)+': '+n}));
   list.append(el('li',{'data-stage':s},el('span',{},el('span',{class:'swatch',style:'background:var(--s-'+s+')'}),stageLabel(s)),
    el('span',{class:'n','data-count':String(n),text:String(n)}),el('span',{class:'late',text:late?String(late):''})));}
  box.append(el('div',{class:'pipeline','data-cycle':String(cycle)},el('h3',{text:'Cycle '+cycle+' ('+total+(total===1?' review)':' reviews)')}),bar,list));}}
function render(changed){renderTable(changed);renderPipeline();}
async function getJson(url){const res=await fetch(url,{cache:'no-store'});const body=await res.json();
 if(!res.ok)throw new Error(body.error?body.error.message:res.status);return body;}
async function loadReviews(){
 const body=await getJson('/api/reviews'+(asOf?'?as_of='+asOf:''));
 reviews.clear();for(const r of body.reviews)reviews.set(key(r),r);
 render();return body.position;}
async function refreshReview(state,cycle){
 if(asOf)return;
 try{const r=await getJson('/api/reviews/'+state+'/'+cycle);if(asOf)return;
  reviews.set(key(r),r);render(new Set([key(r)]));}
 catch(e){/* not visible or not found: leave the table as it is */}}
const CHART={W:440,label:170,rowH:20,top:4},SVG_NS='http://www.w3.org/2000/svg';
// An empty chart of `rows` rows and its element maker add(tag, attrs, text).
function chartFrame(title,figure,rows){
 const {W,rowH,top}=CHART,ns=SVG_NS;
 const svg=document.createElementNS(ns,'svg');const h=top*2+rowH*Math.max(1,rows);
 svg.setAttribute('class','chart');svg.setAttribute('data-figure',figure);svg.setAttribute('role','img');
 svg.setAttribute('aria-label',title);svg.setAttribute('viewBox','0 0 '+W+' '+h);svg.setAttribute('width',String(W));svg.setAttribute('height',String(h));
 const add=(tag,attrs,text)=>{const e=document.createElementNS(ns,tag);for(const [k,v] of Object.entries(attrs))e.setAttribute(k,v);if(text!=null)e.textContent=text;svg.append(e);return e;};
 return [svg,add];}
function barChart(title,figure,groups){
 const {W,label,rowH,top}=CHART,ns=SVG_NS;
 const max=Math.max(1,...groups.map(g=>g.needs));const [svg,add]=chartFrame(title,figure,groups.length);
 groups.forEach((g,i)=>{const y=top+i*rowH;const w=Math.max(1,Math.round(g.needs*(W-label-100)/max));
  const name=(g.label||g.key);add('text',{x:label-6,y:y+14,'text-anchor':'end'},name.length>26?name.slice(0,24)+'...':name).append(Object.assign(document.createElementNS(ns,'title'),{textContent:name}));
  add('rect',{class:'bar','data-key':g.key,x:label,y:y+3,width:w,height:rowH-6},null);
  add('text',{x:label+w+4,y:y+14},g.needs+' ('+g.states+(g.states===1?' State)':' States)'));});
 if(!groups.length)add('text',{x:8,y:18},'no needs recorded');
 return el('div',{class:'chart-box'},el('h3',{text:title}),svg);}
async function loadNeeds(){
 const c=$('needs-cycle').value,q=(c?'cycle='+c+'&':'')+(asOf?'as_of='+asOf+'&':'');
 try{const dims=[['chapter','Needs by chapter'],['category','Needs by category'],['region','States with needs, by region']];
  const reports=await Promise.all(dims.map(([by])=>getJson('/api/needs?'+q+'by='+by)));
  $('charts').replaceChildren(...reports.map((r,i)=>barChart(dims[i][1],dims[i][0],r.groups)));
  const r=reports[0],n=(k,one,many)=>k+' '+(k===1?one:many);
  $('needs-summary').textContent=n(r.total_needs,'need','needs')+' from '+n(r.states_with_needs,'State','States')+
   '; '+n(r.summaries_issued,'executive summary','executive summaries')+' issued';}
 catch(e){$('needs-summary').textContent='needs unavailable: '+e.message;}}
const STATUS_COLOURS={not_started:'#c7c7c7',partially_implemented:'#ffbb33',implemented:'#2ca02c',no_longer_relevant:'#9edae5'};
function statusChart(title,figure,groups){
 const {W,label,rowH,top}=CHART,ns=SVG_NS;
 const max=Math.max(1,...groups.map(g=>g.count));const [svg,add]=chartFrame(title,figure,groups.length);
 groups.forEach((g,i)=>{const y=top+i*rowH;let x=label;const name=(g.label||g.key);
  add('text',{x:label-6,y:y+14,'text-anchor':'end'},name.length>26?name.slice(0,24)+'...':name);
  for(const [status,count] of Object.entries(g.by_status)){if(!count)continue;
   const w=Math.max(1,Math.round(count*(W-label-100)/max));
   add('rect',{class:'bar','data-key':g.key,'data-status':status,x:x,y:y+3,width:w,height:rowH-6,fill:STATUS_COLOURS[status]||'#888'},null)
    .append(Object.assign(document.createElementNS(ns,'title'),{textContent:name+', '+status+': '+count}));x+=w;}
  add('text',{x:x+4,y:y+14},g.count+(g.implementation_rate==null?'':' ('+(100*g.implementation_rate).toFixed(1)+' %)'));});
 if(!groups.length)add('text',{x:8,y:18},'no recommendations public yet');
 return el('div',{class:'chart-box'},el('h3',{text:title}),svg);}
async function loadImplementation(){
 const c=$('needs-cycle').value,q='kind=recommendation&'+(c?'cycle='+c+'&':'')+(asOf?'as_of='+asOf+'&':'');
 try{const dims=[['region','By regional group'],['chapter','By chapter']];
  const reports=await Promise.all(dims.map(([by])=>getJson('/api/outcomes?'+q+'by='+by)));
  $('implementation-charts').replaceChildren(...reports.map((r,i)=>statusChart(dims[i][1],'implementation-by-'+dims[i][0],r.groups)));
  const r=reports[0];
  $('implementation-summary').textContent=r.total+' recommendations to '+r.states+' States; implementation rate '+
   (r.implementation_rate==null?'-':(100*r.implementation_rate).toFixed(1)+' %')+' (implemented plus half of partially implemented, over those still relevant)';}
 catch(e){$('implementation-summary').textContent='implementation unavailable: '+e.message;}}
function scheduleNeeds(){clearTimeout(needsTimer);needsTimer=setTimeout(()=>{loadNeeds();loadImplementation();},500);}
function addToFeed(ev){
 const feed=$('feed');
 feed.prepend(el('li',{'data-position':String(ev.position),'data-type':ev.type},
  el('span',{class:'pos',text:'#'+ev.position}),el('span',{class:'type',text:ev.type}),
  el('span',{text:ev.stream}),el('time',{class:'muted',datetime:ev.recorded_at,text:(ev.recorded_at||'').replace('T',' ').slice(0,19)})));
 while(feed.children.length>50)feed.lastChild.remove();}
function setConnection(state,text){const c=$('connection');c.dataset.state=state;c.textContent=text;}
function onEvent(msg){
 const id=Number(msg.lastEventId||0);if(id)lastId=Math.max(lastId,id);
 let ev;try{ev=JSON.parse(msg.data);}catch(e){return;}
 addToFeed(ev);
 if(ev.position<=snapshotPosition)return;
 const m=/^review-([A-Z]{3})-([12])$/.exec(ev.stream);
 if(m)refreshReview(m[1],m[2]);
 if(/^Need|^Outcome|^Recommendation|^ExecutiveSummaryIssued$|^ReviewScheduled$/.test(ev.type))scheduleNeeds();}
function connect(from){
 if(source)source.close();clearTimeout(retryTimer);
 source=new EventSource('/api/events?from='+from);
 source.onopen=()=>setConnection(asOf?'paused':'live',asOf?'live feed (table as of '+asOf+')':'live');
 source.onmessage=onEvent;
 source.onerror=()=>{
  if(source.readyState===EventSource.CLOSED){setConnection('reconnecting','reconnecting');
   retryTimer=setTimeout(()=>connect(lastId+1),3000);}
  else setConnection('reconnecting','reconnecting');};}
async function start(){
 setConnection('connecting','connecting');
 try{snapshotPosition=await loadReviews();}catch(e){$('count').textContent='reviews unavailable: '+e.message;snapshotPosition=0;}
 loadNeeds();loadImplementation();
 lastId=snapshotPosition;
 connect(Math.max(1,snapshotPosition-30));}
async function setAsOf(date){
 asOf=date;$('as-of').value=date;
 $('as-of-note').textContent=date?'Showing the pipeline as recorded by the end of '+date+'; live updates to the table are paused.':'';
 if(source&&source.readyState===EventSource.OPEN)setConnection(date?'paused':'live',date?'live feed (table as of '+date+')':'live');
 try{const position=await loadReviews();if(!date)snapshotPosition=Math.max(snapshotPosition,position);}
 catch(e){$('count').textContent='reviews unavailable: '+e.message;}
 loadNeeds();loadImplementation();}
for(const s of STAGES)$('f-stage').append(el('option',{value:s,text:stageLabel(s)}));
for(const id of ['f-cycle','f-region','f-stage','f-overdue'])$(id).addEventListener('change',()=>renderTable());
$('f-text').addEventListener('input',()=>renderTable());
$('needs-cycle').addEventListener('change',()=>{loadNeeds();loadImplementation();});
$('as-of').max=new Date().toISOString().slice(0,10);
$('as-of').addEventListener('change',e=>setAsOf(e.target.value));
$('live').addEventListener('click',()=>setAsOf(''));
for(const b of document.querySelectorAll('th button[data-sort]'))b.addEventListener('click',()=>{
 if(sortKey===b.dataset.sort)sortUp=!sortUp;else{sortKey=b.dataset.sort;sortUp=true;}
 for(const o of document.querySelectorAll('th button[data-sort]'))o.removeAttribute('aria-sort');
 b.setAttribute('aria-sort',sortUp?'ascending':'descending');renderTable();});
start();
)js";
}

}  // namespace irm::services::http
