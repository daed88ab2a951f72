import type { FC } from 'hono/jsx'
import type { PostLink, PostMeta, Site } from '../content/schema'
import { formatDay } from '../content/time'
import type { TocEntry, TrustedHtml } from '../markdown/render'
import { asciiText, LEFT_ARROW, MIDDLE_DOT, RIGHT_ARROW } from './characters'
import { Labels } from './PostList'

/** The one door through which HTML made by the Markdown module enters a page. */
export const MarkdownBody: FC<{ html: TrustedHtml }> = ({ html }) => (
  <div class="post-body" dangerouslySetInnerHTML={{ __html: html }} />
)

interface TocSection {
  entry: TocEntry
  children: TocEntry[]
}

/** Third-level headings nest under the second-level heading before them. */
function nest(toc: TocEntry[]): TocSection[] {
  const sections: TocSection[] = []
  for (const entry of toc) {
    const parent = sections.at(-1)
    if (entry.level > 2 && parent) parent.children.push(entry)
    else sections.push({ entry, children: [] })
  }
  return sections
}

const TocLink: FC<{ entry: TocEntry }> = ({ entry }) => <a href={`#${entry.id}`}>{asciiText(entry.text)}</a>

// Closed in the markup, which suits phones; the optional script opens it on wide screens before
// the first paint. Without the script it is one click away.
export const TableOfContents: FC<{ toc: TocEntry[] }> = ({ toc }) =>
  toc.length > 1 ? (
    <nav class="toc" aria-labelledby="toc-heading">
      <details>
        <summary id="toc-heading">Contents</summary>
        <ol>
          {nest(toc).map(({ entry, children }) => (
            <li>
              <TocLink entry={entry} />
              {children.length > 0 ? (
                <ul>
                  {children.map((child) => (
                    <li>
                      <TocLink entry={child} />
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      </details>
    </nav>
  ) : null


export interface ArticleProps {
  site: Site
  post: PostMeta
  html: TrustedHtml
  toc: TocEntry[]
  older: PostLink | null
  newer: PostLink | null
}

export const Article: FC<ArticleProps> = ({ site, post, html, toc, older, newer }) => (
  <article class="post">
    <header>
      <h1 class="post-title">{asciiText(post.title)}</h1>
      <p class="post-meta">
        <time datetime={post.date}>{asciiText(formatDay(post.date, site.timeZone))}</time> {MIDDLE_DOT} by{' '}
        <span class="author">{asciiText(post.author)}</span> {MIDDLE_DOT} {post.minutes} min read
        {post.updated ? (
          <>
            {' '}
            {MIDDLE_DOT} updated <time datetime={post.updated}>{asciiText(formatDay(post.updated, site.timeZone))}</time>
          </>
        ) : null}
      </p>
      <Labels labels={post.labels} />
    </header>
    <TableOfContents toc={toc} />
    <MarkdownBody html={html} />
    {older || newer ? (
      <nav class="post-pager" aria-label="Other posts">
        {newer ? (
          <a class="newer-link" href={newer.path} rel="prev">
            <span class="pager-label">{LEFT_ARROW} Newer post</span> <span class="pager-title">{asciiText(newer.title)}</span>
          </a>
        ) : null}
        {older ? (
          <a class="older-link" href={older.path} rel="next">
            <span class="pager-label">Older post {RIGHT_ARROW}</span> <span class="pager-title">{asciiText(older.title)}</span>
          </a>
        ) : null}
      </nav>
    ) : null}
  </article>
)

export const StaticPage: FC<{ title: string; html: TrustedHtml }> = ({ title, html }) => (
  <article class="page">
    <h1 class="post-title">{asciiText(title)}</h1>
    <MarkdownBody html={html} />
  </article>
)
