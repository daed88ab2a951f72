import type { Child, FC } from 'hono/jsx'
import { raw } from 'hono/html'
import type { Head, Site } from '../content/schema'
import { favicon, script, stylesheet } from '../edge/assets'
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
            <a href="/">{site.title}</a>
          </p>
          {site.description ? <p class="site-description">{site.description}</p> : null}
          {head && head.pages.length > 0 ? (
            <nav aria-label="Pages">
              <ul>
                <li>
                  <a href="/">Home</a>
                </li>
                {head.pages.map((page) => (
                  <li>
                    <a href={pageUrl(page.slug)}>{page.title}</a>
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
          {head ? <Sidebar head={head} now={now} year={year} /> : null}
        </div>
        <footer class="site-footer">
          <p>
            © {site.author} · Powered by Quire
          </p>
        </footer>
      </body>
    </html>
  </>
)
