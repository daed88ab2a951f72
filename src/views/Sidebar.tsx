import type { FC } from 'hono/jsx'
import { liveLabels, liveMonths } from '../content/queries'
import type { Head } from '../content/schema'
import { monthName } from '../content/time'
import { labelUrl, monthUrl, yearUrl } from './urls'

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
  return (
    <aside class="sidebar" aria-label="Sidebar">
      <section class="widget archive-widget">
        <h2>Blog Archive</h2>
        <ul>
          {years.map((y) => (
            <li>
              <details open={y.year === open}>
                <summary>
                  <a href={yearUrl(y.year)}>{y.year}</a> <span class="count">({y.count})</span>
                </summary>
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
                <a href={labelUrl(l.name)}>{l.name}</a> <span class="count">({l.count})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </aside>
  )
}
