import type { FC } from 'hono/jsx'
import { liveLabels, liveMonths } from '../content/queries'
import type { Head } from '../content/schema'
import { monthName } from '../content/time'
import { asciiText } from './characters'
import { labelUrl, monthUrl, pageUrl, yearUrl } from './urls'

interface YearGroup {
  year: string
  count: number
  months: { month: string; count: number }[]
}

function groupByYear(months: { month: string; count: number }[]): YearGroup[] {
  const years: YearGroup[] = []
  for (const m of months) {
    const year = m.month.slice(0, 4)
    let group = years[years.length - 1]
    if (group?.year !== year) {
      group = { year, count: 0, months: [] }
      years.push(group)
    }
    group.count += m.count
    group.months.push(m)
  }
  return years
}

export const Sidebar: FC<{ head: Head; now: number; year?: string }> = ({ head, now, year }) => {
  const years = groupByYear(liveMonths(head, now))
  const open = year ?? years[0]?.year
  const labels = liveLabels(head, now)
  const about = head.pages.find((page) => page.slug === 'about')
  return (
    <aside class="sidebar" aria-label="Sidebar">
      <section class="widget search-widget">
        <h2>
          <label for="search-terms">Search</label>
        </h2>
        <form role="search" action="/search" method="get">
          <input id="search-terms" type="search" name="q" required />
          <button type="submit">Search</button>
        </form>
      </section>
      <section class="widget about-widget">
        <h2>About</h2>
        {head.site.description ? <p>{asciiText(head.site.description)}</p> : null}
        <p>
          Written by {asciiText(head.site.author)}.{' '}
          {about ? <a href={pageUrl(about.slug)}>More about this blog</a> : null}
        </p>
      </section>
      <section class="widget archive-widget">
        <h2>Blog Archive</h2>
        <ul>
          {years.map((y) => (
            <li>
              <details open={y.year === open}>
                {/* Plain text: a link inside a summary would be a control inside a control. */}
                <summary>
                  {y.year} <span class="count">({y.count})</span>
                </summary>
                <p class="archive-year">
                  <a href={yearUrl(y.year)}>All of {y.year}</a>
                </p>
                <ul>
                  {y.months.map((m) => (
                    <li>
                      <a href={monthUrl(m.month)}>{monthName(Number(m.month.slice(5)))}</a>{' '}
                      <span class="count">({m.count})</span>
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
        </ul>
      </section>
      {labels.length > 0 ? (
        <section class="widget labels-widget">
          <h2>Labels</h2>
          <ul>
            {labels.map((l) => (
              <li>
                <a href={labelUrl(l.name)}>{asciiText(l.name)}</a> <span class="count">({l.count})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </aside>
  )
}
