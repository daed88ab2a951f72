import { describe, expect, it } from 'vitest'
import { offsetMinutes, toZonedIso, wallClock } from '../../src/content/time'

// wallClock keeps each zone's offsets per day instead of asking Intl every time: it must still
// give, to the second, what Intl gives, in every zone Intl knows.

const formats = new Map<string, Intl.DateTimeFormat>()

function byIntl(instant: number, timeZone: string) {
  const fields: Record<string, number> = {}
  const format = formats.get(timeZone) ?? new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
  formats.set(timeZone, format)
  for (const part of format.formatToParts(instant)) if (part.type !== 'literal') fields[part.type] = Number(part.value)
  return { year: fields.year, month: fields.month, day: fields.day, hour: fields.hour, minute: fields.minute, second: fields.second }
}

let seed = 7
function random(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
  return seed / 2 ** 32
}

describe('wall clocks from cached offsets', () => {
  it('agree with Intl at random instants from 1890 to 2210, in every zone', () => {
    const from = Date.UTC(1890, 0, 1)
    const to = Date.UTC(2210, 0, 1)
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      for (let n = 0; n < 30; n++) {
        const instant = Math.floor(from + random() * (to - from))
        expect(wallClock(instant, zone), `${zone} ${new Date(instant).toISOString()}`).toEqual(byIntl(instant, zone))
      }
    }
  })

  it('agree with Intl every hour or so, and every second before each change, in awkward zones', () => {
    const zones = [
      'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu', 'Africa/Casablanca',
      'Africa/Cairo', 'Pacific/Apia', 'America/Sao_Paulo', 'Antarctica/Troll', 'America/St_Johns', 'Asia/Tehran',
    ]
    for (const zone of zones) {
      // Every 67 minutes through 2010 and 2025, and second by second before each change.
      for (const [start, end] of [[Date.UTC(2010, 0, 1), Date.UTC(2011, 0, 1)], [Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1)]] as const) {
        let previous = offsetMinutes(start, zone)
        for (let t = start; t < end; t += 67 * 60_000) {
          const offset = offsetMinutes(t, zone)
          if (offset !== previous) {
            // Around a change, second by second.
            for (let s = t - 67 * 60_000; s <= t; s += 1000) expect(wallClock(s, zone), `${zone} ${s}`).toEqual(byIntl(s, zone))
          }
          previous = offset
          expect(wallClock(t, zone), `${zone} ${t}`).toEqual(byIntl(t, zone))
        }
      }
    }
  })

  it('keep milliseconds and instants before 1970 on the right second', () => {
    for (const instant of [-1, -999, -1000, -1001, 1, 999, Date.UTC(1969, 11, 31, 23, 59, 59, 500), Date.UTC(1950, 5, 1, 12, 0, 0, 1)]) {
      for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata']) expect(wallClock(instant, zone)).toEqual(byIntl(instant, zone))
    }
  })

  it('write the same ISO dates as before, with the offset of the day', () => {
    expect(toZonedIso(Date.UTC(2026, 2, 8, 6, 59, 59), 'America/New_York')).toBe('2026-03-08T01:59:59-05:00')
    expect(toZonedIso(Date.UTC(2026, 2, 8, 7, 0, 0), 'America/New_York')).toBe('2026-03-08T03:00:00-04:00')
    expect(toZonedIso(Date.UTC(2011, 11, 30, 10, 0, 0), 'Pacific/Apia')).toBe('2011-12-31T00:00:00+14:00')
  })

  it('still refuse a zone Intl does not know', () => {
    expect(() => wallClock(0, 'Mars/Olympus_Mons')).toThrow(RangeError)
  })
})
