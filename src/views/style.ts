// The theme. Served as a file whose URL carries a hash of its bytes (see edge/assets.ts).
export const STYLESHEET = `
:root{color-scheme:light dark;--bg:#fdfcf9;--fg:#1f2328;--muted:#57606a;--accent:#0b5cad;--rule:#d8dee4;--code-bg:#f4f2ee;--focus:#c2410c;
--font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
@media (prefers-color-scheme:dark){:root{--bg:#14161a;--fg:#e6e6e3;--muted:#a3aab3;--accent:#7cb7ff;--rule:#30363d;--code-bg:#1d2127;--focus:#fb923c}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.7 var(--font)}
a{color:var(--accent);text-underline-offset:.15em}
a:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:2px}
.skip-link{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem 1rem}
.skip-link:focus{left:1rem;z-index:10}
.site-header,.columns,.site-footer{max-width:72rem;margin:0 auto;padding:0 1.25rem}
.site-header{padding-top:2rem;padding-bottom:1rem;border-bottom:1px solid var(--rule)}
.site-title{font-size:1.9rem;font-weight:700;margin:0}
.site-title a{color:inherit;text-decoration:none}
.site-description{color:var(--muted);margin:.25rem 0 0}
.site-header nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:1.25rem;padding:0;margin:.75rem 0 0}
.columns{display:grid;grid-template-columns:minmax(0,1fr) 16rem;gap:3rem;padding-top:2rem}
main{min-width:0;max-width:44rem}
.sidebar{font-size:.95rem}
.widget h2{font-size:1rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0 0 .5rem}
.widget{margin-bottom:2rem}
.widget ul{list-style:none;padding-left:0;margin:0}
.widget ul ul{padding-left:1.1rem}
.count{color:var(--muted)}
.status-msg{border:1px solid var(--rule);padding:.6rem .9rem;margin-bottom:1.5rem;border-radius:4px}
.post-outer{margin-bottom:2.5rem}
.post-title{line-height:1.25;margin:0 0 .35rem}
h2.post-title{font-size:1.5rem}
h2.post-title a{color:inherit;text-decoration:none}
h2.post-title a:hover{text-decoration:underline}
h1.post-title{font-size:2.2rem}
.post-meta,.labels{color:var(--muted);font-size:.93rem;margin:.2rem 0}
.snippet{margin:.5rem 0}
.blog-pager,.post-pager{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap;border-top:1px solid var(--rule);padding-top:1rem;margin-top:2rem}
.toc{border:1px solid var(--rule);border-radius:4px;padding:.5rem 1rem;margin:1.5rem 0}
.toc summary{font-weight:600;cursor:pointer}
.toc ol{margin:.5rem 0;padding-left:1.25rem}
.toc .toc-level-3{margin-left:1rem;list-style:circle}
.post-body h2,.post-body h3{line-height:1.3;margin-top:2.2rem;scroll-margin-top:1rem}
.post-body img{max-width:100%;height:auto}
.post-body table{display:block;overflow-x:auto;border-collapse:collapse;margin:1.25rem 0}
.post-body th,.post-body td{border:1px solid var(--rule);padding:.4rem .7rem;text-align:left}
.post-body blockquote{margin:1rem 0;padding:0 1rem;border-left:4px solid var(--rule);color:var(--muted)}
code{font-family:var(--mono);font-size:.9em;background:var(--code-bg);padding:.1em .3em;border-radius:3px}
pre{background:var(--code-bg);padding:1rem;overflow-x:auto;border-radius:6px;line-height:1.5;font-size:.9rem}
pre code{background:none;padding:0;font-size:inherit}
.footnotes{font-size:.93rem;border-top:1px solid var(--rule);margin-top:2.5rem}
.site-footer{color:var(--muted);font-size:.9rem;border-top:1px solid var(--rule);margin-top:3rem;padding-top:1rem;padding-bottom:2rem}
.error-page h1{font-size:2rem}
.hljs-keyword,.hljs-selector-tag,.hljs-built_in,.hljs-doctag{color:#a0337b}
.hljs-string,.hljs-attr,.hljs-template-tag,.hljs-addition{color:#1a6b35}
.hljs-comment,.hljs-quote,.hljs-meta{color:#6a737d;font-style:italic}
.hljs-number,.hljs-literal,.hljs-variable,.hljs-template-variable{color:#9a4c00}
.hljs-title,.hljs-section,.hljs-type,.hljs-name{color:#2451a6}
.hljs-deletion{color:#b31d28}
@media (prefers-color-scheme:dark){
.hljs-keyword,.hljs-selector-tag,.hljs-built_in,.hljs-doctag{color:#f09bd0}
.hljs-string,.hljs-attr,.hljs-template-tag,.hljs-addition{color:#8fd19e}
.hljs-comment,.hljs-quote,.hljs-meta{color:#9aa4ae}
.hljs-number,.hljs-literal,.hljs-variable,.hljs-template-variable{color:#f5b872}
.hljs-title,.hljs-section,.hljs-type,.hljs-name{color:#9cc3ff}
.hljs-deletion{color:#ff9b9b}}
@media (max-width:52rem){.columns{grid-template-columns:minmax(0,1fr);gap:1rem}h1.post-title{font-size:1.8rem}}
@media print{.sidebar,.site-header nav,.skip-link,.blog-pager,.post-pager,.site-footer{display:none}.columns{display:block}a{color:inherit}}
`
