import type { Child, FC } from 'hono/jsx'
import type { PostList as List } from '../content/queries'
import type { Site } from '../content/schema'
import { formatDay } from '../content/time'
import { asciiText, MIDDLE_DOT } from './characters'
import { labelUrl } from './urls'

export const Labels: FC<{ labels: string[] }> = ({ labels }) =>
  labels.length > 0 ? (
    <p class="labels">
      Labels:{' '}
      {labels.map((label, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a href={labelUrl(label)} rel="tag">
            {asciiText(label)}
          </a>
        </>
      ))}
    </p>
  ) : null

export interface PostListProps {
  site: Site
  list: List
  /** The status line above the posts, e.g. "Showing posts from March, 2026". */
  status?: Child
  /** Where "Older posts" leads; omitted when there are none. */
  olderUrl?: string | null
  /** The words of that link, when the list is not by date. */
  olderLabel?: string
  /** Where "Newer posts" leads, on pages after the first. */
  newerUrl?: string | null
}

export const PostList: FC<PostListProps> = ({ site, list, status, olderUrl, olderLabel = 'Older posts', newerUrl }) => (
  <>
    {/* Every page has one h1: the status line where there is one. */}
    {status ? <h1 class="status-msg">{status}</h1> : <h1 class="sr-only">Posts</h1>}
    {list.posts.length === 0 ? <p class="empty">No posts.</p> : null}
    {list.posts.map((post) => (
      <article class="post-outer">
        <h2 class="post-title">
          <a href={post.path}>{asciiText(post.title)}</a>
        </h2>
        <p class="post-meta">
          <time datetime={post.date}>{asciiText(formatDay(post.date, site.timeZone))}</time> {MIDDLE_DOT} {post.minutes} min read
        </p>
        <p class="snippet">{asciiText(post.snippet)}</p>
        <Labels labels={post.labels} />
      </article>
    ))}
    {olderUrl || newerUrl ? (
      <nav class="blog-pager" aria-label="More posts">
        {newerUrl ? (
          <a class="newer-link" href={newerUrl} rel="prev">
            Newer posts
          </a>
        ) : null}{' '}
        <a class="home-link" href="/">
          Home
        </a>{' '}
        {olderUrl ? (
          <a class="older-link" href={olderUrl} rel="next">
            {olderLabel}
          </a>
        ) : null}
      </nav>
    ) : null}
  </>
)
