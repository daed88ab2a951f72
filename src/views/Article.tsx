import type { FC } from 'hono/jsx'
import type { PostLink, Post, Site } from '../content/schema'
import { formatDay } from '../content/time'
import type { TocEntry, TrustedHtml } from '../markdown/render'
import { Labels } from './PostList'

/** The one door through which HTML made by the Markdown module enters a page. */
export const MarkdownBody: FC<{ html: TrustedHtml }> = ({ html }) => (
  <div class="post-body" dangerouslySetInnerHTML={{ __html: html }} />
)

export const TableOfContents: FC<{ toc: TocEntry[] }> = ({ toc }) =>
  toc.length > 1 ? (
    <nav class="toc" aria-labelledby="toc-heading">
      <details open>
        <summary id="toc-heading">Contents</summary>
        <ol>
          {toc.map((entry) => (
            <li class={`toc-level-${entry.level}`}>
              <a href={`#${entry.id}`}>{entry.text}</a>
            </li>
          ))}
        </ol>
      </details>
    </nav>
  ) : null

export interface ArticleProps {
  site: Site
  post: Post
  html: TrustedHtml
  toc: TocEntry[]
  older: PostLink | null
  newer: PostLink | null
}

export const Article: FC<ArticleProps> = ({ site, post, html, toc, older, newer }) => (
  <article class="post">
    <header>
      <h1 class="post-title">{post.title}</h1>
      <p class="post-meta">
        <time datetime={post.date}>{formatDay(post.date, site.timeZone)}</time> · by{' '}
        <span class="author">{post.author}</span> · {post.minutes} min read
        {post.updated ? (
          <>
            {' '}
            · updated <time datetime={post.updated}>{formatDay(post.updated, site.timeZone)}</time>
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
            ← Newer: {newer.title}
          </a>
        ) : null}
        {older ? (
          <a class="older-link" href={older.path} rel="next">
            Older: {older.title} →
          </a>
        ) : null}
      </nav>
    ) : null}
  </article>
)

export const StaticPage: FC<{ title: string; html: TrustedHtml }> = ({ title, html }) => (
  <article class="page">
    <h1 class="post-title">{title}</h1>
    <MarkdownBody html={html} />
  </article>
)
