const m={en:{title:"Values in action",titleFor:e=>`Values in action: ${e}`,intro:"Stories from staff, shared with their agreement and without their names.",values:"Values",media:"Photo or video",none:"There are no stories to show yet.",more:e=>`Show ${e} more ${e===1?"story":"stories"}`,failed:"The stories could not be loaded. Please try again later.",count:(e,o)=>`Showing ${e} of ${o} ${o===1?"story":"stories"}`},cy:{title:"Gwerthoedd ar waith",titleFor:e=>`Gwerthoedd ar waith: ${e}`,intro:"Straeon gan staff, wedi'u rhannu gyda'u caniat\xE2d a heb eu henwau.",values:"Gwerthoedd",media:"Llun neu fideo",none:"Does dim straeon i'w dangos eto.",more:e=>`Dangos ${e} stori arall`,failed:"Nid oedd modd llwytho'r straeon. Rhowch gynnig arall arni yn nes ymlaen.",count:(e,o)=>`Yn dangos ${e} o ${o} stori`}},A=6,E=`
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
`,t=(e,o={},...s)=>{const p=document.createElement(e);for(const[n,d]of Object.entries(o))d!=null&&p.setAttribute(n,d);for(const n of s.flat())n!=null&&p.append(n);return p},L=(e,o)=>{if(!e||!e.link.startsWith("https://"))return null;const s=new URL(e.link).host;return t("p",{class:"media"},`${o.media}: `,t("a",{href:e.link,rel:"noopener noreferrer",referrerpolicy:"no-referrer"},e.caption||s)," ",t("span",{class:"host"},`(${s})`))},R=e=>[e.getAttribute("data-pulse-lang"),e.closest("[lang]")?.getAttribute("lang")].map(o=>o?.trim()).filter(Boolean).join(",");async function C(e,o){const s=e.getAttribute("data-pulse-showcase")?.trim(),p=(e.getAttribute("data-pulse-endpoint")?.trim()||o).replace(/\/+$/,""),n=e.getAttribute("data-pulse-value")?.trim()||null,d=e.shadowRoot??e.attachShadow({mode:"open"}),g=new CSSStyleSheet;g.replaceSync(E),d.adoptedStyleSheets=[g];const r=t("section",{class:"showcase","aria-busy":"true"});if(d.replaceChildren(r),!s)throw new Error("data-pulse-showcase is empty");const b=new URLSearchParams,w=R(e);w&&b.set("page_lang",w),n&&b.set("value",n);let i;try{const a=await fetch(`${p}/api/v1/surveys/${encodeURIComponent(s)}/showcase?${b}`,{credentials:"omit"});if(!a.ok)throw new Error(`status ${a.status}`);i=await a.json()}catch(a){throw r.removeAttribute("aria-busy"),r.append(t("p",{role:"alert"},t("span",{lang:"en"},m.en.failed)," ",t("span",{lang:"cy"},m.cy.failed))),a}const l=m[i.lang]??m.en;r.setAttribute("lang",i.lang);const y=new Map(i.labels.map(a=>[a.id,a.label])),z=`pulse-showcase-${s}-${n??"all"}`,x=t("h2",{id:`${z}-title`},n?l.titleFor(y.get(n)??n):l.title);if(r.setAttribute("aria-labelledby",x.id),r.removeAttribute("aria-busy"),r.append(x,t("p",{class:"intro"},l.intro)),!i.stories.length){r.append(t("p",{},l.none));return}const f=t("ul",{class:"stories",role:"list"}),k=t("p",{class:"count",role:"status"}),u=t("button",{type:"button"});r.append(f,k,u);let c=0;const $=()=>{const a=c;for(const h of i.stories.slice(c,c+A))f.append(t("li",{class:"story",tabindex:"-1"},h.text?t("blockquote",{},t("p",{},h.text)):null,L(h.media,l),t("ul",{class:"tags","aria-label":l.values},h.values.map(S=>t("li",{class:"tag"},y.get(S)??S))))),c++;k.textContent=l.count(c,i.stories.length);const v=i.stories.length-c;return u.hidden=v===0,u.textContent=l.more(Math.min(v,A)),f.children[a]};u.addEventListener("click",()=>{$()?.focus()}),$()}export{C as mount};
