import type { Child, FC } from 'hono/jsx'
import { raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { Head, Site } from '../content/schema'
import { favicon, script, stylesheet } from '../edge/assets'
import { asciiText, COPYRIGHT, MIDDLE_DOT } from './characters'
import { scheduleEpoch } from '../edge/keys'
import { Meta, type PageMeta } from './Meta'
import { Sidebar } from './Sidebar'
import { pageUrl } from './urls'

export interface LayoutProps {
  site: Site
  /** Null when nothing is published yet: the page still has the site's frame, without widgets. */
  head: Head | null
  now: number
  meta: PageMeta
  /** The year to open in the Blog Archive widget. */
  year?: string
  children?: Child
}

const SIDEBARS_KEPT = 32
const sidebars = new Map<string, HtmlEscapedString>()

/**
 * The sidebar as HTML, made once per version of the content, set of live scheduled posts and open
 * year: every page shows it, and at thousands of posts its archive and labels are a good part of
 * what rendering a page costs.
 */
function sidebarHtml(head: Head, now: number, year: string | undefined): Child {
  const key = `${head.version}.${scheduleEpoch(head, now)}.${year ?? ''}`
  const kept = sidebars.get(key)
  if (kept) return kept
  const html = (<Sidebar head={head} now={now} year={year} />).toString()
  if (typeof html !== 'string') return html
  if (sidebars.size >= SIDEBARS_KEPT) sidebars.clear()
  const made = raw(html)
  sidebars.set(key, made)
  return made
}

export const Layout: FC<LayoutProps> = ({ site, head, now, meta, year, children }) => (
  <>
    {raw('<!doctype html>')}
    <html lang={site.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta site={site} meta={meta} />
        <link rel="stylesheet" href={stylesheet.path} />
        <link rel="icon" href={favicon.path} type="image/svg+xml" />
        <script src={script.path}></script>
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <p class="site-title">
            <a href="/">{asciiText(site.title)}</a>
          </p>
          {site.description ? <p class="site-description">{asciiText(site.description)}</p> : null}
          {head && head.pages.length > 0 ? (
            <nav aria-label="Pages">
              <ul>
                <li>
                  <a href="/">Home</a>
                </li>
                {head.pages.map((page) => (
                  <li>
                    <a href={pageUrl(page.slug)}>{asciiText(page.title)}</a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          <button type="button" class="theme-toggle" aria-pressed="false">
            Dark theme
          </button>
        </header>
        <div class="columns">
          <main id="main">{children}</main>
          {head ? sidebarHtml(head, now, year) : null}
        </div>
        <footer class="site-footer">
          <p>
            {COPYRIGHT} {asciiText(site.author)} {MIDDLE_DOT} Powered by Quire
          </p>
        </footer>
      </body>
    </html>
  </>
)
