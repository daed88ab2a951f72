import type { ContentFiles, SourceFile } from '../src/build/build'

// Deterministic inputs for the benchmarks: the same arguments give the same bytes on every machine
// and every run (a seeded generator, fixed dates, no clock), so two runs measure the same work.

/** The clock the corpora are built at: after every generated post. */
export const BUILT_AT = Date.parse('2026-11-20T12:00:00Z')
const FIRST_POST = Date.parse('2017-01-03T09:00:00Z')
const LAST_POST = Date.parse('2026-10-30T17:00:00Z')

/** mulberry32: small, fast and good enough to pick words; seeded, so deterministic. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'the a of to and in that is for it as with on be this by are or from at an which can not but we ' +
  'query index cache request response worker database table column row migration model view template ' +
  'server client header cookie session token deploy release build bundle module function class method ' +
  'field value key shard blob version head edge latency throughput memory heap start render parse ' +
  'markdown page post label archive month year feed search link anchor heading list code block line ' +
  'test fixture assert error retry timeout failure lock transaction commit rollback schema validate ' +
  'python django postgres redis nginx gunicorn celery queue task job cron scheduler signal handler ' +
  'simple careful small large fast slow cheap expensive honest stale fresh cold warm busy quiet new old ' +
  'reads writes keeps drops moves counts measures renders caches serves returns builds checks runs ' +
  'usually often rarely always never first then later again instead still only also even just'
).split(' ')

const LABELS = [
  'Django', 'Python', 'Postgres', 'Redis', 'Performance', 'Security', 'Testing', 'Deployment',
  'Nginx', 'Celery', 'ORM', 'Caching', 'APIs', 'Async', 'Tooling', 'Databases', 'Linux', 'Docker',
  'Observability', 'Career', 'Books', 'Notes', 'Frontend', 'Workers',
]

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T
}

function sentence(rand: () => number, min = 8, max = 22): string {
  const n = min + Math.floor(rand() * (max - min + 1))
  const words: string[] = []
  for (let i = 0; i < n; i++) {
    let word = pick(rand, WORDS)
    const r = rand()
    if (r < 0.04) word = `\`${word}\``
    else if (r < 0.06) word = `*${word}*`
    else if (r < 0.07) word = `**${word}**`
    words.push(word)
  }
  const text = words.join(' ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

function paragraph(rand: () => number, sentences = 3 + Math.floor(rand() * 4)): string {
  return Array.from({ length: sentences }, () => sentence(rand)).join(' ')
}

/** Words as a reader counts them: markup such as `##`, `-` or `>` is not a word. */
const countWords = (text: string): number => text.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length

/** Short code blocks for ordinary posts, one language each. */
const SMALL_CODE: Record<string, string> = {
  python: 'def total(rows):\n    """Sum the amounts, skipping refunds."""\n    return sum(r.amount for r in rows if not r.refund)\n',
  sql: 'SELECT author_id, count(*) AS posts\nFROM blog_post\nWHERE published_at > now() - interval \'30 days\'\nGROUP BY author_id\nORDER BY posts DESC;\n',
  bash: 'set -euo pipefail\nfor host in web1 web2; do\n  ssh "$host" sudo systemctl reload gunicorn\ndone\n',
  javascript: "const res = await fetch('/api/posts?limit=10')\nif (!res.ok) throw new Error(`HTTP ${res.status}`)\nconst posts = await res.json()\n",
  yaml: 'services:\n  web:\n    image: blog:latest\n    ports: ["8000:8000"]\n    depends_on: [db, redis]\n',
}

function corpusPost(i: number, count: number): SourceFile {
  const rand = random(1000 + i)
  const instant = FIRST_POST + Math.floor(((LAST_POST - FIRST_POST) * i) / Math.max(1, count - 1))
  const date = new Date(instant).toISOString().replace('.000Z', 'Z')
  const labelCount = 1 + Math.floor(rand() * 3)
  const labels = new Set<string>()
  // Skewed towards the first labels, as real blogs are: a few big labels and a long tail.
  while (labels.size < labelCount) labels.add(LABELS[Math.floor(rand() * rand() * LABELS.length)] as string)
  const title = `${sentence(rand, 3, 7).slice(0, -1)} (${i + 1})`
  const parts = [paragraph(rand), `## ${sentence(rand, 2, 5).slice(0, -1)}`, paragraph(rand), paragraph(rand)]
  if (i % 3 === 0) {
    const lang = Object.keys(SMALL_CODE)[i % Object.keys(SMALL_CODE).length] as string
    parts.push(`\`\`\`${lang}\n${SMALL_CODE[lang]}\`\`\``)
  }
  parts.push(`- ${sentence(rand, 3, 8)}\n- ${sentence(rand, 3, 8)}\n- ${sentence(rand, 3, 8)}`)
  parts.push(`## ${sentence(rand, 2, 5).slice(0, -1)}`, paragraph(rand), `See [the docs](https://docs.example.com/${i}) for more.`)
  const y = date.slice(0, 4)
  const m = date.slice(5, 7)
  return {
    path: `content/posts/${y}/${m}/post-${String(i + 1).padStart(5, '0')}.md`,
    text: `---\ntitle: ${JSON.stringify(title)}\ndate: ${date}\nlabels: [${[...labels].join(', ')}]\n---\n\n${parts.join('\n\n')}\n`,
  }
}

export const SITE: SourceFile = {
  path: 'content/site.yaml',
  text: 'title: Bench Blog\ndescription: A generated blog for benchmarks.\nauthor: Bench Author\nbaseUrl: https://bench.example.com\nlanguage: en\ntimeZone: UTC\npostsPerPage: 7\n',
}

const ABOUT: SourceFile = {
  path: 'content/pages/about.md',
  text: '---\ntitle: About\n---\n\nA generated blog, written by a benchmark.\n',
}

/** `count` posts spread evenly from January 2017 to October 2026, over 24 labels. */
export function corpus(count: number, options: { bigPost?: boolean } = {}): ContentFiles {
  const posts = Array.from({ length: count }, (_, i) => corpusPost(i, count))
  if (options.bigPost) posts.push(bigPostFile())
  return { site: SITE, posts, pages: [ABOUT] }
}

// The ten code blocks of the big post, in eight languages: what a long tutorial on a backend blog
// shows. Real-looking code, because highlighters are slower on real code than on lorem ipsum.
const BIG_CODE: { lang: string; code: string }[] = [
  {
    lang: 'python',
    code: `from django.db import models, transaction
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone


class PublishedQuerySet(models.QuerySet):
    def live(self):
        """Posts whose time has come, newest first."""
        return self.filter(published_at__lte=timezone.now()).order_by("-published_at")

    def with_counts(self):
        return self.annotate(
            comment_count=Count("comments", filter=Q(comments__approved=True)),
            label_count=Count("labels", distinct=True),
        )


class Post(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique_for_month="published_at")
    body = models.TextField(help_text="Markdown")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    labels = models.ManyToManyField("Label", related_name="posts")
    views = models.PositiveIntegerField(default=0)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["-published_at", "slug"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.published_at:%Y-%m})"

    @transaction.atomic
    def record_view(self) -> None:
        Post.objects.filter(pk=self.pk).update(views=F("views") + 1)
`,
  },
  {
    lang: 'sql',
    code: `-- The query behind the month archive, before and after the index.
EXPLAIN (ANALYZE, BUFFERS)
SELECT p.id, p.title, p.slug, p.published_at, count(c.id) AS comments
FROM blog_post AS p
LEFT JOIN blog_comment AS c ON c.post_id = p.id AND c.approved
WHERE p.published_at >= DATE '2026-03-01'
  AND p.published_at <  DATE '2026-04-01'
GROUP BY p.id
ORDER BY p.published_at DESC
LIMIT 20;

CREATE INDEX CONCURRENTLY blog_post_published_idx
    ON blog_post (published_at DESC)
    WHERE published_at IS NOT NULL;
`,
  },
  {
    lang: 'bash',
    code: `#!/usr/bin/env bash
set -euo pipefail

release="$(date -u +%Y%m%d%H%M%S)"
target="/srv/blog/releases/$release"

echo "Deploying $release to \${HOSTS:-web1 web2}"
for host in \${HOSTS:-web1 web2}; do
  rsync -az --delete ./build/ "$host:$target/"
  ssh "$host" "ln -sfn '$target' /srv/blog/current && sudo systemctl reload gunicorn"
  if ! curl -fsS "https://$host.internal/healthz" >/dev/null; then
    echo "health check failed on $host" >&2
    exit 1
  fi
done
`,
  },
  {
    lang: 'javascript',
    code: `// Retry a fetch with exponential backoff, but never past the deadline.
export async function fetchWithRetry(url, { attempts = 4, deadline = 5000 } = {}) {
  const started = Date.now()
  let delay = 100
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(deadline) })
      if (res.status < 500) return res
      throw new Error(\`upstream answered \${res.status}\`)
    } catch (error) {
      if (attempt >= attempts || Date.now() - started + delay > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, delay))
      delay *= 2
    }
  }
}
`,
  },
  {
    lang: 'typescript',
    code: `interface CacheEntry<T> {
  value: T
  expires: number
}

export class TtlCache<K, V> {
  private readonly entries = new Map<K, CacheEntry<V>>()

  constructor(private readonly ttlMs: number, private readonly max = 1000) {}

  get(key: K, now = Date.now()): V | undefined {
    const entry = this.entries.get(key)
    if (!entry || entry.expires <= now) {
      this.entries.delete(key)
      return undefined
    }
    return entry.value
  }

  set(key: K, value: V, now = Date.now()): void {
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value as K
      this.entries.delete(oldest)
    }
    this.entries.set(key, { value, expires: now + this.ttlMs })
  }
}
`,
  },
  {
    lang: 'yaml',
    code: `# docker-compose.yml for local development
services:
  web:
    build: .
    command: gunicorn blog.wsgi --bind 0.0.0.0:8000 --workers 3
    environment:
      DATABASE_URL: postgres://blog:blog@db:5432/blog
      REDIS_URL: redis://redis:6379/0
      DEBUG: "true"
    ports:
      - "8000:8000"
    depends_on: [db, redis]
  db:
    image: postgres:16
    volumes:
      - pgdata:/var/lib/postgresql/data
  redis:
    image: redis:7-alpine
volumes:
  pgdata: {}
`,
  },
  {
    lang: 'python',
    code: `import logging
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)


def cached_view(timeout: int = 300, key_prefix: str = "view"):
    """Cache a view's response per path and query string, for anonymous users only."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.is_authenticated or request.method != "GET":
                return view(request, *args, **kwargs)
            key = f"{key_prefix}:{request.get_full_path()}"
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200:
                    response.render() if hasattr(response, "render") else None
                    cache.set(key, response, timeout)
                    log.debug("cached %s for %ss", key, timeout)
            return response

        return wrapper

    return decorator
`,
  },
  {
    lang: 'json',
    code: `{
  "name": "blog-frontend",
  "private": true,
  "scripts": {
    "build": "vite build",
    "test": "vitest run"
  },
  "dependencies": {
    "htmx.org": "2.0.4"
  },
  "devDependencies": {
    "vite": "7.1.2",
    "vitest": "3.2.4"
  },
  "browserslist": ["> 0.5%", "last 2 versions", "not dead"]
}
`,
  },
  {
    lang: 'nginx',
    code: `upstream blog {
    server 127.0.0.1:8000 fail_timeout=0;
    keepalive 32;
}

server {
    listen 443 ssl http2;
    server_name blog.example.com;

    ssl_certificate     /etc/letsencrypt/live/blog.example.com/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/blog.example.com/privkey.pem;

    location /static/ {
        alias /srv/blog/current/static/;
        expires 30d;
        add_header Cache-Control "public, immutable";
    }

    location / {
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_pass http://blog;
    }
}
`,
  },
  {
    lang: 'sql',
    code: `WITH monthly AS (
    SELECT date_trunc('month', published_at) AS month,
           count(*)                          AS posts,
           avg(length(body))::int            AS avg_chars
    FROM blog_post
    WHERE published_at IS NOT NULL
    GROUP BY 1
)
SELECT to_char(month, 'YYYY-MM') AS month, posts, avg_chars,
       sum(posts) OVER (ORDER BY month) AS running_total
FROM monthly
ORDER BY month DESC;
`,
  },
]

/**
 * One long tutorial: 5,000 words of prose under 2nd- and 3rd-level headings, with lists, a table,
 * a blockquote, links, a footnote, and the ten code blocks above.
 */
export function bigPostMarkdown(): string {
  const rand = random(42)
  const sections: string[] = []
  let words = 0
  const target = 5000
  const prose = (text: string): string => {
    words += countWords(text)
    return text
  }
  for (let s = 0; s < 10; s++) {
    sections.push(prose(`## ${sentence(rand, 2, 5).slice(0, -1)}`))
    sections.push(prose(paragraph(rand, 5)))
    const code = BIG_CODE[s] as { lang: string; code: string }
    sections.push(`\`\`\`${code.lang}\n${code.code}\`\`\``)
    sections.push(prose(`### ${sentence(rand, 2, 5).slice(0, -1)}`))
    sections.push(prose(paragraph(rand, 4)))
    if (s % 3 === 0) sections.push(prose([1, 2, 3, 4].map(() => `- ${sentence(rand, 5, 12)}`).join('\n')))
    if (s % 4 === 1) sections.push(prose(`> ${paragraph(rand, 2)}`))
    if (s === 5) {
      // Tables are not prose: they do not count towards the 5,000 words.
      sections.push(('| setting | default | why |\n|---|---|---|\n| `timeout` | 300 | five minutes is long enough |\n| `key_prefix` | view | one namespace per decorator |'))
    }
    if (s === 2) sections.push(prose(`Read [the manual](https://docs.example.com/deploy) first.[^deploy]`))
  }
  // Pad with prose, spread over the sections, until the post reads 5,000 words.
  let s = 1
  while (words < target) {
    const para = prose(paragraph(rand, 4))
    sections.splice(Math.min(sections.length, s * 7), 0, para)
    s = (s % 10) + 1
  }
  sections.push('[^deploy]: The deploy chapter, not the quick start.')
  return `${sections.join('\n\n')}\n`
}

export const BIG_POST_PATH = '/2026/11/the-long-tutorial.html'

export function bigPostFile(): SourceFile {
  return {
    path: 'content/posts/2026/11/the-long-tutorial.md',
    text: `---\ntitle: "The long tutorial: caching, queries and deploys"\ndate: 2026-11-02T09:00:00Z\nlabels: [Django, Performance]\n---\n\n${bigPostMarkdown()}`,
  }
}

export const BIG_POST_LANGUAGES = [...new Set(BIG_CODE.map((c) => c.lang))]
export const BIG_POST_CODE_BLOCKS = BIG_CODE.length

/**
 * Inputs known to be slow for Markdown parsers, after commonmark.js's pathological tests: long
 * runs of emphasis delimiters, of backslashes, of brackets, and deep nesting of lists and quotes.
 */
export function pathologicalInputs(n = 10_000): { name: string; markdown: string }[] {
  const repeat = (s: string, times = n) => s.repeat(times)
  return [
    { name: 'nested strong emphasis', markdown: repeat('*a **a ') + 'b' + repeat(' a** a*') },
    { name: 'emphasis closers without openers', markdown: repeat('a_ ') },
    { name: 'emphasis openers without closers', markdown: repeat('_a ') },
    { name: 'mismatched openers and closers', markdown: repeat('*a_ ') },
    { name: 'long asterisk run', markdown: repeat('*', n * 5) },
    { name: 'long backslash run', markdown: repeat('\\', n * 5) + 'a' },
    { name: 'link openers without closers', markdown: repeat('[a ') },
    { name: 'link closers without openers', markdown: repeat('a] ') },
    { name: 'nested brackets', markdown: `${repeat('[', n / 2)}a${repeat(']', n / 2)}` },
    { name: 'unclosed inline links', markdown: repeat('[a](b ') },
    { name: 'backtick runs', markdown: Array.from({ length: 2000 }, (_, i) => `${'`'.repeat(i % 50 + 1)}a`).join(' ') },
    { name: 'deeply nested lists', markdown: Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- a`).join('\n') },
    { name: 'deeply nested blockquotes', markdown: `${repeat('> ', 1000)}a` },
    { name: 'unclosed html comment', markdown: `<!-- ${repeat('a -')}` },
    { name: 'many reference definitions', markdown: Array.from({ length: n }, (_, i) => `[r${i}]: /u${i}`).join('\n') + `\n\n${repeat('[r1] ', 1000)}` },
  ]
}
