// The theme. Served as a file whose URL carries a hash of its bytes (see edge/assets.ts).

// The dark palette is written once and applied two ways: by the reader's system setting, unless
// they chose light with the toggle, and by the toggle itself (data-theme on <html>). On screens
// only: paper is white.
const DARK = `color-scheme:dark;--bg:#15171b;--fg:#e6e6e3;--muted:#a7aeb7;--accent:#85bcff;--rule:#353b43;--code-bg:#1e2228;--focus:#ffa25c;--raised:#1b1e23;
--hl-keyword:#f3a2d4;--hl-string:#93d5a2;--hl-comment:#a3acb6;--hl-number:#f7bd7b;--hl-title:#a4c8ff;--hl-deletion:#ffa3a3`

export const STYLESHEET = `
:root{color-scheme:light;--bg:#fdfcf9;--fg:#1f2328;--muted:#575f69;--accent:#0a57a4;--rule:#d5dbe1;--code-bg:#f3f1ec;--focus:#c2410c;--raised:#f6f4ef;
--hl-keyword:#9c2f76;--hl-string:#18672f;--hl-comment:#5a636d;--hl-number:#934800;--hl-title:#23509f;--hl-deletion:#ab1b25;
--font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
@media screen and (prefers-color-scheme:dark){:root:not([data-theme=light]){${DARK}}}
@media screen{:root[data-theme=dark]{${DARK}}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.7 var(--font);overflow-wrap:break-word}
a{color:var(--accent);text-underline-offset:.15em}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:2px}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.skip-link{position:absolute;left:1rem;top:-10rem;z-index:10;background:var(--bg);color:var(--accent);padding:.5rem 1rem;border:2px solid var(--accent);border-radius:4px}
.skip-link:focus{top:.75rem}
.site-header,.columns,.site-footer{max-width:70rem;margin:0 auto;padding-left:1.25rem;padding-right:1.25rem}
.site-header{display:grid;grid-template-columns:minmax(0,1fr) auto;column-gap:1rem;align-items:center;padding-top:1.75rem;padding-bottom:1rem;border-bottom:1px solid var(--rule)}
.site-header>*{grid-column:1/-1}
.site-title{grid-column:1;font-size:1.75rem;font-weight:700;line-height:1.2;margin:0}
.site-title a{color:inherit;text-decoration:none}
.site-description{color:var(--muted);margin:.3rem 0 0}
.site-header nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;padding:0;margin:.6rem 0 0}
.theme-toggle{display:none;grid-column:2;grid-row:1}
.js .theme-toggle{display:inline-flex}
button,input{font:inherit;color:inherit}
button{cursor:pointer;background:var(--raised);border:1px solid var(--rule);border-radius:6px;padding:.3rem .75rem;line-height:1.4}
button:hover{border-color:var(--muted)}
.theme-toggle{align-items:center;gap:.4rem;font-size:.9rem;white-space:nowrap}
.theme-toggle::before{content:"";width:.85em;height:.85em;border-radius:50%;border:2px solid currentColor;background:linear-gradient(90deg,currentColor 50%,transparent 50%)}
.theme-toggle[aria-pressed=true]::before{background:currentColor}
.columns{display:grid;grid-template-columns:minmax(0,70ch) minmax(13rem,16rem);justify-content:space-between;gap:3rem;padding-top:2rem}
main{min-width:0}
.sidebar{font-size:.95rem;min-width:0}
.widget{margin-bottom:2rem}
.widget h2{font-size:.9rem;text-transform:uppercase;letter-spacing:.07em;color:var(--muted);margin:0 0 .5rem}
.widget ul{list-style:none;padding-left:0;margin:0}
.widget ul ul{padding-left:1.1rem}
.widget li{margin:.15rem 0}
.widget summary{cursor:pointer}
.widget p{margin:.4rem 0}
.archive-widget .archive-year{margin:.15rem 0 0 1.1rem}
.search-widget form{display:flex;gap:.4rem}
.search-widget input{flex:1;min-width:0;background:var(--bg);border:1px solid var(--muted);border-radius:6px;padding:.3rem .5rem}
.count{color:var(--muted)}
.status-msg{font-size:1.05rem;font-weight:400;line-height:1.5;border:1px solid var(--rule);background:var(--raised);padding:.6rem .9rem;margin:0 0 2rem;border-radius:6px}
.post-outer{margin-bottom:2.5rem}
.post-title{line-height:1.2;margin:0 0 .4rem;text-wrap:balance}
h2.post-title{font-size:1.45rem}
h2.post-title a{color:inherit;text-decoration:none}
h2.post-title a:hover{text-decoration:underline}
h1.post-title{font-size:2.25rem;letter-spacing:-.01em}
.post-meta,.labels{color:var(--muted);font-size:.93rem;margin:.25rem 0}
.snippet{margin:.5rem 0}
.blog-pager{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap;border-top:1px solid var(--rule);padding-top:1rem;margin-top:2rem}
.post-pager{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem;border-top:1px solid var(--rule);padding-top:1.5rem;margin-top:3rem}
.post-pager a{display:block;border:1px solid var(--rule);border-radius:6px;padding:.75rem 1rem;text-decoration:none;line-height:1.4}
.post-pager a:hover{border-color:var(--accent)}
.post-pager .older-link{grid-column:-2;text-align:right}
.pager-label{display:block;color:var(--muted);font-size:.85rem}
.pager-title{display:block;font-weight:600}
.toc{border:1px solid var(--rule);border-radius:6px;background:var(--raised);margin:1.5rem 0 2rem;font-size:.95rem}
.toc summary{font-weight:600;cursor:pointer;padding:.5rem 1rem}
.toc ol{margin:0;padding:0 1rem .75rem 2.25rem;line-height:1.45}
.toc li{margin:.3rem 0}
.toc ul{list-style:none;margin:.2rem 0 .5rem;padding-left:1rem;font-size:.92em}
.toc ul li{margin:.2rem 0}
.post-body{line-height:1.75}
.post-body h2,.post-body h3,.post-body h4{line-height:1.3;margin:2.4rem 0 .75rem;scroll-margin-top:1rem}
.post-body h2{font-size:1.6rem}
.post-body h3{font-size:1.3rem}
.post-body h4{font-size:1.1rem}
.anchor{margin-left:.35em;padding:0 .2em;color:var(--muted);text-decoration:none;font-weight:400;opacity:0}
.post-body :is(h2,h3,h4):hover .anchor,.anchor:focus{opacity:1}
@media (hover:none){.anchor{opacity:1}}
.post-body img{max-width:100%;height:auto}
.post-body table{display:block;max-width:100%;width:max-content;overflow-x:auto;border-collapse:collapse;margin:1.5rem 0;font-size:.95rem}
.post-body th,.post-body td{border:1px solid var(--rule);padding:.4rem .7rem;text-align:left;vertical-align:top}
.post-body th{background:var(--raised)}
.post-body blockquote{margin:1.25rem 0;padding:0 1rem;border-left:4px solid var(--rule);color:var(--muted)}
.post-body hr{border:0;border-top:1px solid var(--rule);margin:2.5rem 0}
.post-body li+li{margin-top:.25rem}
.post-body input[type=checkbox]{margin:0 .4em 0 0}
code{font-family:var(--mono);font-size:.875em;background:var(--code-bg);padding:.1em .3em;border-radius:4px}
pre{position:relative;background:var(--code-bg);border:1px solid var(--rule);padding:1rem;margin:1.5rem 0;overflow-x:auto;border-radius:6px;line-height:1.55;font-size:.875rem;tab-size:4}
pre code{background:none;padding:0;font-size:inherit;border-radius:0}
/* The code, not the pre, scrolls: it fills the pre's padding box, and the copy button sits still above it. */
pre>code{display:block;overflow-x:auto;margin:-1rem;padding:1rem}
.copy{position:absolute;top:.4rem;right:.4rem;font-size:.8rem;padding:.1rem .55rem;background:var(--bg);font-family:var(--font);user-select:none}
.footnotes{font-size:.93rem;border-top:1px solid var(--rule);margin-top:3rem}
.site-footer{color:var(--muted);font-size:.9rem;border-top:1px solid var(--rule);margin-top:3rem;padding-top:1rem;padding-bottom:2rem}
.error-page h1{font-size:2rem;line-height:1.2}
.hljs-keyword,.hljs-selector-tag,.hljs-built_in,.hljs-doctag{color:var(--hl-keyword)}
.hljs-string,.hljs-attr,.hljs-template-tag,.hljs-addition,.hljs-regexp{color:var(--hl-string)}
.hljs-comment,.hljs-quote{color:var(--hl-comment);font-style:italic}
.hljs-number,.hljs-literal,.hljs-variable,.hljs-template-variable,.hljs-meta,.hljs-symbol{color:var(--hl-number)}
.hljs-title,.hljs-section,.hljs-type,.hljs-name,.hljs-selector-class,.hljs-selector-id{color:var(--hl-title)}
.hljs-deletion{color:var(--hl-deletion)}
.hljs-emphasis{font-style:italic}
.hljs-strong{font-weight:700}
@media (max-width:56rem){
.columns{grid-template-columns:minmax(0,1fr);gap:1rem}
.sidebar{border-top:1px solid var(--rule);padding-top:1.5rem;margin-top:1rem;display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));column-gap:2rem}
h1.post-title{font-size:1.85rem}
.post-body h2{font-size:1.4rem}
.post-body h3{font-size:1.2rem}
}
/* Narrow code blocks would run their first line under the copy button: give it a row of its own. */
@media (max-width:56rem){.js .post-body pre>code{padding-top:2.4rem}}
@media (max-width:30rem){body{font-size:1rem}.site-header{padding-top:1.25rem}.site-title{font-size:1.5rem}pre{margin-left:-1.25rem;margin-right:-1.25rem;border-radius:0;border-left:0;border-right:0}}
@media (prefers-reduced-motion:no-preference){html{scroll-behavior:smooth}}
@media print{
:root{color-scheme:light;--bg:#fff;--fg:#000;--muted:#444;--accent:#000;--rule:#bbb;--code-bg:#f4f4f4;--raised:#fff}
body{font-size:11pt;line-height:1.5}
.sidebar,.site-header nav,.theme-toggle,.skip-link,.blog-pager,.post-pager,.site-footer,.toc,.anchor,.copy{display:none!important}
.site-header{display:block;padding:0 0 .5rem}
.site-header,.columns{max-width:none;padding-left:0;padding-right:0}
.columns{display:block}
a{color:inherit}
.post-body a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow:visible;break-inside:avoid;border-color:#bbb}
.post-body table{display:table;width:auto}
h1,h2,h3,h4{break-after:avoid}
img,figure,blockquote,table{break-inside:avoid}
}
`
