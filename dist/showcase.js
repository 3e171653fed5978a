const h={en:{title:"Values in action",titleFor:e=>`Values in action: ${e}`,intro:"Stories from staff, shared with their agreement and without their names.",values:"Values",none:"There are no stories to show yet.",more:e=>`Show ${e} more ${e===1?"story":"stories"}`,failed:"The stories could not be loaded. Please try again later.",count:(e,n)=>`Showing ${e} of ${n} ${n===1?"story":"stories"}`},cy:{title:"Gwerthoedd ar waith",titleFor:e=>`Gwerthoedd ar waith: ${e}`,intro:"Straeon gan staff, wedi'u rhannu gyda'u caniat\xE2d a heb eu henwau.",values:"Gwerthoedd",none:"Does dim straeon i'w dangos eto.",more:e=>`Dangos ${e} stori arall`,failed:"Nid oedd modd llwytho'r straeon. Rhowch gynnig arall arni yn nes ymlaen.",count:(e,n)=>`Yn dangos ${e} o ${n} stori`}},A=6,E=`
:host { all: initial; display: block; }
.showcase { font-family: Frutiger, Arial, sans-serif; font-size: 1rem; line-height: 1.5; color: #212b32;
  -webkit-text-size-adjust: 100%; box-sizing: border-box; }
.showcase *, .showcase *::before, .showcase *::after { box-sizing: inherit; }
h2 { font-size: 1.5em; font-weight: 700; line-height: 1.33; margin: 0 0 .5em; }
p { margin: 0 0 1em; }
.intro, .count { color: #4c6272; }
.stories { list-style: none; margin: 0 0 1em; padding: 0; display: grid; gap: 1em;
  grid-template-columns: repeat(auto-fill, minmax(16em, 1fr)); }
.story { background: #fff; border: 1px solid #d8dde0; border-top: 4px solid #005eb8; padding: 1em 1.25em; }
.story:focus { outline: 4px solid #ffeb3b; box-shadow: 0 0 0 8px #212b32; }
blockquote { margin: 0 0 .75em; font-size: 1.0625em; }
blockquote p { margin: 0; white-space: pre-line; }
.tags { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .375em; }
.tag { background: #e8edee; color: #212b32; border-radius: 1em; padding: .125em .75em; font-size: .875em; }
button { font: inherit; font-weight: 600; color: #fff; background: #007f3b; border: 0; border-radius: 4px;
  box-shadow: 0 4px 0 #00401e; padding: .75em 1em; min-height: 44px; cursor: pointer; margin-bottom: 4px; }
button:hover { background: #00662f; }
button:focus { outline: 4px solid transparent; background: #ffeb3b; color: #212b32; box-shadow: 0 4px 0 #212b32; }
.hidden { position: absolute !important; width: 1px !important; height: 1px !important; overflow: hidden !important;
  clip: rect(0 0 0 0) !important; white-space: nowrap !important; }
@media (prefers-reduced-motion: no-preference) { .story { transition: box-shadow .1s; } }
`,t=(e,n={},...c)=>{const u=document.createElement(e);for(const[o,l]of Object.entries(n))l!=null&&u.setAttribute(o,l);for(const o of c.flat())o!=null&&u.append(o);return u},C=e=>[e.getAttribute("data-pulse-lang"),e.closest("[lang]")?.getAttribute("lang")].map(n=>n?.trim()).filter(Boolean).join(",");async function R(e,n){const c=e.getAttribute("data-pulse-showcase")?.trim(),u=(e.getAttribute("data-pulse-endpoint")?.trim()||n).replace(/\/+$/,""),o=e.getAttribute("data-pulse-value")?.trim()||null,l=e.shadowRoot??e.attachShadow({mode:"open"}),b=new CSSStyleSheet;b.replaceSync(E),l.adoptedStyleSheets=[b];const s=t("section",{class:"showcase","aria-busy":"true"});if(l.replaceChildren(s),!c)throw new Error("data-pulse-showcase is empty");const g=new URLSearchParams,f=C(e);f&&g.set("page_lang",f),o&&g.set("value",o);let r;try{const a=await fetch(`${u}/api/v1/surveys/${encodeURIComponent(c)}/showcase?${g}`,{credentials:"omit"});if(!a.ok)throw new Error(`status ${a.status}`);r=await a.json()}catch(a){throw s.removeAttribute("aria-busy"),s.append(t("p",{role:"alert"},t("span",{lang:"en"},h.en.failed)," ",t("span",{lang:"cy"},h.cy.failed))),a}const i=h[r.lang]??h.en;s.setAttribute("lang",r.lang);const w=new Map(r.labels.map(a=>[a.id,a.label])),z=`pulse-showcase-${c}-${o??"all"}`,y=t("h2",{id:`${z}-title`},o?i.titleFor(w.get(o)??o):i.title);if(s.setAttribute("aria-labelledby",y.id),s.removeAttribute("aria-busy"),s.append(y,t("p",{class:"intro"},i.intro)),!r.stories.length){s.append(t("p",{},i.none));return}const m=t("ul",{class:"stories",role:"list"}),x=t("p",{class:"count",role:"status"}),p=t("button",{type:"button"});s.append(m,x,p);let d=0;const $=()=>{const a=d;for(const S of r.stories.slice(d,d+A))m.append(t("li",{class:"story",tabindex:"-1"},t("blockquote",{},t("p",{},S.text)),t("ul",{class:"tags","aria-label":i.values},S.values.map(k=>t("li",{class:"tag"},w.get(k)??k))))),d++;x.textContent=i.count(d,r.stories.length);const v=r.stories.length-d;return p.hidden=v===0,p.textContent=i.more(Math.min(v,A)),m.children[a]};p.addEventListener("click",()=>{$()?.focus()}),$()}export{R as mount};
