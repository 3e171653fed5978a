var v=(e,n={},o=[])=>{for(let[d,a]of Object.entries(n))a!=null&&e.setAttribute(d,a);for(let d of o.flat())d!=null&&e.append(d);return e},t=(e,n,...o)=>v(document.createElement(e),n,o),S=e=>[e.getAttribute("data-pulse-lang"),e.closest("[lang]")?.getAttribute("lang")].map(n=>n?.trim()).filter(Boolean).join(",");async function k(e,n,o,d,a,c,s=o){let f=`data-pulse-${o}`,m=e.getAttribute(f)?.trim(),y=(e.getAttribute("data-pulse-endpoint")?.trim()||n).replace(/\/+$/,""),h=e.shadowRoot??e.attachShadow({mode:"open"}),g=new CSSStyleSheet;g.replaceSync(d),h.adoptedStyleSheets=[g];let i=t("section",{class:o,"aria-busy":"true"});if(h.replaceChildren(i),!m)throw new Error(`${f} is empty`);let l=new URLSearchParams,w=S(e);w&&l.set("page_lang",w),c[1]&&l.set(...c);let u,b="failed";try{let r=await fetch(`${y}/api/v1/surveys/${encodeURIComponent(m)}/${s}?${l}`,{credentials:"omit"});if(!r.ok){let p=await r.json().catch(()=>({}));throw[400,403,404].includes(r.status)&&(b="unavailable"),new Error([p.error??`status ${r.status}`,...p.details??[]].join(": "))}u=await r.json()}catch(r){throw i.removeAttribute("aria-busy"),i.append(t("p",{role:"alert"},t("span",{lang:"en"},a.en[b])," ",t("span",{lang:"cy"},a.cy[b]))),r}return i.setAttribute("lang",u.lang),{survey:m,section:i,data:u}}var x={en:{title:"Values in action",titleFor:e=>`Values in action: ${e}`,intro:"Stories from staff, shared with their agreement and without their names.",values:"Values",media:"Photo or video",none:"There are no stories to show yet.",more:e=>`Show ${e} more ${e===1?"story":"stories"}`,failed:"The stories could not be loaded. Please try again later.",unavailable:"This page cannot show these stories. Please tell the person who looks after this page.",count:(e,n)=>`Showing ${e} of ${n} ${n===1?"story":"stories"}`},cy:{title:"Gwerthoedd ar waith",titleFor:e=>`Gwerthoedd ar waith: ${e}`,intro:"Straeon gan staff, wedi'u rhannu gyda'u caniat\xE2d a heb eu henwau.",values:"Gwerthoedd",media:"Llun neu fideo",none:"Does dim straeon i'w dangos eto.",more:e=>`Dangos ${e} stori arall`,failed:"Nid oedd modd llwytho'r straeon. Rhowch gynnig arall arni yn nes ymlaen.",unavailable:"Ni all y dudalen hon ddangos y straeon hyn. Rhowch wybod i'r person sy'n gofalu am y dudalen hon.",count:(e,n)=>`Yn dangos ${e} o ${n} stori`}},$=6,A=`
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
`,P=(e,n)=>{if(!e||typeof e.link!="string"||!e.link.startsWith("https://"))return null;let o;try{o=new URL(e.link).host}catch{return null}return t("p",{class:"media"},`${n.media}: `,t("a",{href:e.link,rel:"noopener noreferrer",referrerpolicy:"no-referrer"},e.caption||o)," ",t("span",{class:"host"},`(${o})`))};async function j(e,n){let o=e.getAttribute("data-pulse-value")?.trim()||null,{survey:d,section:a,data:c}=await k(e,n,"showcase",A,x,["value",o]),s=x[c.lang]??x.en,f=new Map(c.labels.map(u=>[u.id,u.label])),m=`pulse-showcase-${d}-${o??"all"}`,y=t("h2",{id:`${m}-title`},o?s.titleFor(f.get(o)??o):s.title);if(a.setAttribute("aria-labelledby",y.id),a.removeAttribute("aria-busy"),a.append(y,t("p",{class:"intro"},s.intro)),!c.stories.length){a.append(t("p",{},s.none));return}let h=t("ul",{class:"stories",role:"list"}),g=t("p",{class:"count",role:"status"}),i=t("button",{type:"button"});a.append(h,g,i);let l=0,w=()=>{let u=l;for(let r of c.stories.slice(l,l+$)){try{h.append(t("li",{class:"story",tabindex:"-1"},r.text?t("blockquote",{},t("p",{},r.text)):null,P(r.media,s),t("ul",{class:"tags","aria-label":s.values},(r.values??[]).map(p=>t("li",{class:"tag"},f.get(p)??p)))))}catch(p){console.error("Values Pulse: a story could not be shown",p)}l++}g.textContent=s.count(l,c.stories.length);let b=c.stories.length-l;return i.hidden=b===0,i.textContent=s.more(Math.min(b,$)),h.children[u]};i.addEventListener("click",()=>{w()?.focus()}),w()}export{j as mount};
