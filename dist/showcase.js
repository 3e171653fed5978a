var v=(e,o={},n=[])=>{for(let[l,a]of Object.entries(o))a!=null&&e.setAttribute(l,a);for(let l of n.flat())l!=null&&e.append(l);return e},t=(e,o,...n)=>v(document.createElement(e),o,n),S=e=>[e.getAttribute("data-pulse-lang"),e.closest("[lang]")?.getAttribute("lang")].map(o=>o?.trim()).filter(Boolean).join(",");async function $(e,o,n,l,a,d,r=n){let f=`data-pulse-${n}`,h=e.getAttribute(f)?.trim(),g=(e.getAttribute("data-pulse-endpoint")?.trim()||o).replace(/\/+$/,""),u=e.shadowRoot??e.attachShadow({mode:"open"}),m=new CSSStyleSheet;m.replaceSync(l),u.adoptedStyleSheets=[m];let i=t("section",{class:n,"aria-busy":"true"});if(u.replaceChildren(i),!h)throw new Error(`${f} is empty`);let s=new URLSearchParams,b=S(e);b&&s.set("page_lang",b),d[1]&&s.set(...d);let c;try{let p=await fetch(`${g}/api/v1/surveys/${encodeURIComponent(h)}/${r}?${s}`,{credentials:"omit"});if(!p.ok)throw new Error(`status ${p.status}`);c=await p.json()}catch(p){throw i.removeAttribute("aria-busy"),i.append(t("p",{role:"alert"},t("span",{lang:"en"},a.en.failed)," ",t("span",{lang:"cy"},a.cy.failed))),p}return i.setAttribute("lang",c.lang),{survey:h,section:i,data:c}}var x={en:{title:"Values in action",titleFor:e=>`Values in action: ${e}`,intro:"Stories from staff, shared with their agreement and without their names.",values:"Values",media:"Photo or video",none:"There are no stories to show yet.",more:e=>`Show ${e} more ${e===1?"story":"stories"}`,failed:"The stories could not be loaded. Please try again later.",count:(e,o)=>`Showing ${e} of ${o} ${o===1?"story":"stories"}`},cy:{title:"Gwerthoedd ar waith",titleFor:e=>`Gwerthoedd ar waith: ${e}`,intro:"Straeon gan staff, wedi'u rhannu gyda'u caniat\xE2d a heb eu henwau.",values:"Gwerthoedd",media:"Llun neu fideo",none:"Does dim straeon i'w dangos eto.",more:e=>`Dangos ${e} stori arall`,failed:"Nid oedd modd llwytho'r straeon. Rhowch gynnig arall arni yn nes ymlaen.",count:(e,o)=>`Yn dangos ${e} o ${o} stori`}},k=6,A=`
:host { all: initial !important; display: block !important; }
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
.media { margin: 0 0 .75em; }
.media a { color: #005eb8; text-decoration: underline; word-break: break-word; }
.media a:visited { color: #330072; }
.media a:hover { color: #7c2855; text-decoration-thickness: 3px; }
.media a:focus { outline: 4px solid transparent; color: #212b32; background: #ffeb3b; box-shadow: 0 -2px #ffeb3b, 0 4px #212b32;
  text-decoration: none; }
.host { color: #4c6272; }
.tags { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .375em; }
.tag { background: #e8edee; color: #212b32; border-radius: 1em; padding: .125em .75em; font-size: .875em; }
button { font: inherit; font-weight: 600; color: #fff; background: #007f3b; border: 0; border-radius: 4px;
  box-shadow: 0 4px 0 #00401e; padding: .75em 1em; min-height: 44px; cursor: pointer; margin-bottom: 4px; }
button:hover { background: #00662f; }
button:focus { outline: 4px solid transparent; background: #ffeb3b; color: #212b32; box-shadow: 0 4px 0 #212b32; }
.hidden { position: absolute !important; width: 1px !important; height: 1px !important; overflow: hidden !important;
  clip: rect(0 0 0 0) !important; white-space: nowrap !important; }
@media (prefers-reduced-motion: no-preference) { .story { transition: box-shadow .1s; } }
`,z=(e,o)=>{if(!e||!e.link.startsWith("https://"))return null;let n=new URL(e.link).host;return t("p",{class:"media"},`${o.media}: `,t("a",{href:e.link,rel:"noopener noreferrer",referrerpolicy:"no-referrer"},e.caption||n)," ",t("span",{class:"host"},`(${n})`))};async function P(e,o){let n=e.getAttribute("data-pulse-value")?.trim()||null,{survey:l,section:a,data:d}=await $(e,o,"showcase",A,x,["value",n]),r=x[d.lang]??x.en,f=new Map(d.labels.map(c=>[c.id,c.label])),h=`pulse-showcase-${l}-${n??"all"}`,g=t("h2",{id:`${h}-title`},n?r.titleFor(f.get(n)??n):r.title);if(a.setAttribute("aria-labelledby",g.id),a.removeAttribute("aria-busy"),a.append(g,t("p",{class:"intro"},r.intro)),!d.stories.length){a.append(t("p",{},r.none));return}let u=t("ul",{class:"stories",role:"list"}),m=t("p",{class:"count",role:"status"}),i=t("button",{type:"button"});a.append(u,m,i);let s=0,b=()=>{let c=s;for(let w of d.stories.slice(s,s+k))u.append(t("li",{class:"story",tabindex:"-1"},w.text?t("blockquote",{},t("p",{},w.text)):null,z(w.media,r),t("ul",{class:"tags","aria-label":r.values},w.values.map(y=>t("li",{class:"tag"},f.get(y)??y))))),s++;m.textContent=r.count(s,d.stories.length);let p=d.stories.length-s;return i.hidden=p===0,i.textContent=r.more(Math.min(p,k)),u.children[c]};i.addEventListener("click",()=>{b()?.focus()}),b()}export{P as mount};
