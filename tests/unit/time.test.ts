import { describe, expect, it } from 'vitest'
import { formatDay, monthPath, parseContentDate, toZonedIso } from '../../src/content/time'

describe('dates in the site time zone', () => {
  it('puts a post at 23:30 on 31 March in UTC−5 in March, though it is April in UTC', () => {
    const instant = parseContentDate('2026-03-31T23:30:00-05:00', 'America/Bogota')
    expect(new Date(instant).toISOString()).toBe('2026-04-01T04:30:00.000Z')
    expect(monthPath(instant, 'America/Bogota')).toBe('2026/03')
    expect(monthPath(instant, 'UTC')).toBe('2026/04')
  })

  it('reads a date without an offset on the wall clock of the site', () => {
    const instant = parseContentDate('2026-03-31 23:30', 'America/Chicago')
    // Chicago is on daylight time (UTC−5) by the end of March.
    expect(new Date(instant).toISOString()).toBe('2026-04-01T04:30:00.000Z')
    expect(toZonedIso(instant, 'America/Chicago')).toBe('2026-03-31T23:30:00-05:00')
  })

  it('reads a bare date as midnight in the site time zone', () => {
    const instant = parseContentDate('2025-12-18', 'Europe/Paris')
    expect(toZonedIso(instant, 'Europe/Paris')).toBe('2025-12-18T00:00:00+01:00')
  })

  it('keeps the offset an author wrote', () => {
    expect(parseContentDate('2026-03-03T08:30:00Z', 'Asia/Tokyo')).toBe(Date.UTC(2026, 2, 3, 8, 30))
    expect(parseContentDate('2026-03-03T08:30:00+0530', 'UTC')).toBe(Date.UTC(2026, 2, 3, 3, 0))
  })

  it('refuses dates that do not exist or cannot be read', () => {
    for (const text of ['2026-02-30', '2026-13-01', 'next tuesday', '2026-03-03T25:00', '']) {
      expect(parseContentDate(text, 'UTC'), text).toBeNaN()
    }
  })

  it('reads the date of a zoned timestamp as written, which is how the publisher stores dates', () => {
    for (const instant of [Date.UTC(2026, 2, 3, 13, 30), Date.UTC(2026, 3, 1, 3, 30), Date.UTC(2024, 1, 29, 12), Date.UTC(2027, 0, 1, 4)]) {
      for (const zone of ['America/New_York', 'Asia/Tokyo', 'Europe/Paris', 'UTC']) {
        const zoned = toZonedIso(instant, zone)
        // The same answer as Intl gives for the instant in that zone.
        const expected = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(instant)
        expect(formatDay(zoned, zone), `${zoned} in ${zone}`).toBe(expected)
      }
    }
  })

  it('formats a reader’s date in the site time zone', () => {
    expect(formatDay('2026-04-01T04:30:00Z', 'America/New_York')).toBe('Wednesday, April 1, 2026')
    expect(formatDay('2026-04-01T03:30:00Z', 'America/New_York')).toBe('Tuesday, March 31, 2026')
  })
})
