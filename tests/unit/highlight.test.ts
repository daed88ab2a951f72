import { describe, expect, it } from 'vitest'
import { escapeHtml } from '../../src/markdown/highlight'
import { highlightCode, LANGUAGES } from '../../src/markdown/languages'
import { renderMarkdown } from '../../src/markdown/render'

/** The text a reader sees: the highlighted HTML without its spans. */
const unspanned = (html: string) => html.replace(/<span class="hljs-[a-z_ -]+">|<\/span>/g, '')

const HOSTILE = `</code></pre><script>alert("x&y")</script> <img src=x onerror='alert(1)'> &amp; \`\${1}\` {{ x }} {% if %} # -- /* <!-- "unterminated`

const SAMPLES: Record<string, string> = {
  python: 'import os\n\n@cached\ndef total(rows: list) -> int:\n    """Sum them."""\n    return sum(r.amount for r in rows if r is not None)  # why\n\nclass Post(Model):\n    title = f"{self.name!r} {{literal}}"\n',
  javascript: "// go\nexport async function get(url) {\n  const res = await fetch(`/api/${url}`, { method: 'GET' })\n  return this.cache.delete(res.status === 404 ? null : 1e3)\n}\n",
  typescript: 'interface Post { title: string; labels: readonly string[] }\ntype Id = number\nexport class Store implements Repo<Post> {}\n',
  bash: '#!/usr/bin/env bash\nset -euo pipefail\n# deploy\nfor host in "$HOSTS"; do echo "to ${host}: $(date)"; done\n',
  shell: '$ npm run bench\n> quire@0.1.0 bench\n# apt-get install -y wrk\n',
  sql: "SELECT count(*) AS n FROM blog_post WHERE title ILIKE '%it''s%' AND \"select\" IS NOT NULL; -- done\n",
  json: '{ "name": "quire", "private": true, "version": 1.5, "deps": [null] }\n',
  yaml: '# compose\nservices:\n  web:\n    image: "blog:latest"\n    ports: [8000]\n    debug: true\n    - item\n',
  ini: '[server]\n; comment\nhost = "0.0.0.0"\nport = 8000\ndebug = true\n',
  dockerfile: 'FROM python:3.12-slim AS base\n# deps\nRUN pip install -r requirements.txt && echo "$HOME"\nEXPOSE 8000\n',
  nginx: 'server {\n    listen 443 ssl;\n    location /static/ { expires 30d; }\n    proxy_set_header Host $host; # pass\n}\n',
  xml: '<!DOCTYPE html>\n<!-- c -->\n<a href="/x" class=\'y\'>link &amp; text</a>\n',
  django: '{% extends "base.html" %}\n{# note #}\n<h1>{{ post.title|upper }}</h1>\n{% for p in posts %}<li>{{ p }}</li>{% endfor %}\n',
  diff: 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-old line\n+new line\n same\n',
  plaintext: 'just <text> & more\n',
}

describe('server-side highlighting', () => {
  it('knows every language Quire highlighted with highlight.js, and its aliases', () => {
    for (const name of [
      'bash', 'sh', 'zsh', 'console', 'shell', 'diff', 'django', 'jinja', 'dockerfile', 'ini', 'toml', 'systemd',
      'javascript', 'js', 'json', 'nginx', 'plaintext', 'text', 'txt', 'python', 'py', 'sql', 'typescript', 'ts',
      'xml', 'html', 'yaml', 'yml',
    ]) {
      expect(LANGUAGES.has(name), name).toBe(true)
    }
  })

  it('changes no character of the code: without its spans the output is the escaped source', () => {
    for (const name of LANGUAGES.keys()) {
      for (const code of [SAMPLES[name] ?? '', ...Object.values(SAMPLES), HOSTILE]) {
        expect(unspanned(highlightCode(code, name)), `${name}: ${code.slice(0, 30)}`).toBe(escapeHtml(code))
      }
    }
  })

  it('writes no markup but its own spans, whatever the code', () => {
    for (const name of [...LANGUAGES.keys(), 'cobol']) {
      const html = highlightCode(`${HOSTILE}\n${Object.values(SAMPLES).join('\n')}`, name)
      const tags = html.match(/<[^>]*>/g) ?? []
      for (const tag of tags) expect(tag, name).toMatch(/^<span class="hljs-[a-z_ -]+">$|^<\/span>$/)
      expect(html).not.toMatch(/<(?!\/?span)/)
    }
  })

  it('marks keywords, strings, comments, numbers and names being defined, in highlight.js classes', () => {
    const python = highlightCode(SAMPLES.python as string, 'python')
    expect(python).toContain('<span class="hljs-keyword">def</span> <span class="hljs-title function_">total</span>')
    expect(python).toContain('<span class="hljs-title class_">Post</span>')
    expect(python).toContain('<span class="hljs-comment"># why</span>')
    expect(python).toContain('<span class="hljs-meta">@cached</span>')
    expect(python).toContain('<span class="hljs-subst">{<span class="hljs-variable language_">self</span>.name!r}</span>')
    const js = highlightCode(SAMPLES.javascript as string, 'js')
    expect(js).toContain('<span class="hljs-subst">${url}</span>')
    expect(js).toContain('.delete(') // a property, not the keyword
    expect(js).toContain('<span class="hljs-number">1e3</span>')
    expect(highlightCode(SAMPLES.sql as string, 'sql')).toContain('<span class="hljs-string">&#39;%it&#39;&#39;s%&#39;</span>')
    expect(highlightCode(SAMPLES.sql as string, 'sql')).toContain('<span class="hljs-keyword">ILIKE</span>')
    expect(highlightCode(SAMPLES.json as string, 'json')).toContain('<span class="hljs-attr">&quot;name&quot;</span>')
    expect(highlightCode(SAMPLES.yaml as string, 'yaml')).toContain('<span class="hljs-attr">image</span>')
    expect(highlightCode(SAMPLES.ini as string, 'toml')).toContain('<span class="hljs-section">[server]</span>')
    expect(highlightCode(SAMPLES.bash as string, 'sh')).toContain('<span class="hljs-variable">$HOSTS</span>')
    expect(highlightCode(SAMPLES.dockerfile as string, 'dockerfile')).toContain('<span class="hljs-keyword">RUN</span>')
    expect(highlightCode(SAMPLES.nginx as string, 'nginx')).toContain('<span class="hljs-section">location</span>')
    expect(highlightCode(SAMPLES.xml as string, 'html')).toContain('<span class="hljs-tag">&lt;<span class="hljs-name">a</span>')
    expect(highlightCode(SAMPLES.django as string, 'django')).toContain('<span class="hljs-template-variable">')
    expect(highlightCode(SAMPLES.diff as string, 'diff')).toContain('<span class="hljs-addition">+new line</span>')
  })

  it('shows a language it does not know as plain, escaped text', () => {
    expect(highlightCode('<b>IDENTIFICATION DIVISION.</b>', 'cobol')).toBe('&lt;b&gt;IDENTIFICATION DIVISION.&lt;/b&gt;')
  })

  it('stays linear on long runs that no rule closes', () => {
    // Each of these once made some rule rescan the rest of its line at every character.
    const units = ['a', '"', "'", '<a ', '{% ', '{{ ', '/*', 'k.', 'k:', 'a-', '1.', '"a', '#', '$(', '${', '@a.', '`', '\\', '<!--', '[[', '= ', 'f"', '"""', '-- ', '- ']
    for (const name of new Set(LANGUAGES.values())) {
      for (const unit of units) {
        const started = performance.now()
        highlightCode(unit.repeat(Math.ceil(30_000 / unit.length)), [...LANGUAGES].find(([, l]) => l === name)?.[0] ?? '')
        expect(performance.now() - started, unit).toBeLessThan(1_000)
      }
    }
  })

  it('keeps the markup highlight.js gave a fenced block', () => {
    expect(renderMarkdown('```python extra\nx = 1\n```\n').html).toBe(
      '<pre><code class="hljs language-python">x = <span class="hljs-number">1</span>\n</code></pre>',
    )
    expect(renderMarkdown('```\n<b>\n```\n').html).toBe('<pre><code class="hljs">&lt;b&gt;\n</code></pre>')
  })
})
