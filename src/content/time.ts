// Dates in the site's time zone, with Intl as the only source of zone rules, so that the Worker
// and the publisher agree.

const formatters = new Map<string, Intl.DateTimeFormat>()

/** One formatter per purpose and time zone for the isolate's life: building one is not cheap. */
function formatter(purpose: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${purpose} ${timeZone}`
  let cached = formatters.get(key)
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', { timeZone, ...options })
    formatters.set(key, cached)
  }
  return cached
}

const partsFormatter = (timeZone: string) =>
  formatter('parts', timeZone, {
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** The wall-clock time at `instant` in `timeZone`. */
export function wallClock(instant: number, timeZone: string): WallClock {
  const second = Math.floor(instant / 1000) * 1000
  if (!(second >= CACHED_FROM && second < CACHED_UNTIL)) return intlWallClock(instant, timeZone)
  const local = new Date(second + zoneOffsetMs(second, timeZone))
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  }
}

function intlWallClock(instant: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {}
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value)
  }
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 0,
    day: fields.day ?? 0,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  }
}

/** Milliseconds to add to the whole second `second` (UTC) for the wall clock, as Intl says. */
function intlOffsetMs(second: number, timeZone: string): number {
  const w = intlWallClock(second, timeZone)
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - second
}

// Asking Intl for every date was most of the time the publisher spent on dates. A zone's offset
// changes a few times a year at most, and never twice within a day: so the offset is asked at the
// start of each UTC day once, and where it differs from the next day's start, the second of the
// change is found (by halving) and kept. Only for the years a blog can be dated in; Intl otherwise.
const DAY = 86_400_000
const CACHED_FROM = Date.UTC(1900, 0, 1)
const CACHED_UNTIL = Date.UTC(2200, 0, 1)
/** Per zone and UTC day: the offset all day, or the second it changes and the offsets around it. */
type DayOffset = number | { at: number; before: number; after: number }
const dayOffsets = new Map<string, Map<number, DayOffset>>()
const dayStarts = new Map<string, Map<number, number>>()

function zoneOffsetMs(second: number, timeZone: string): number {
  let days = dayOffsets.get(timeZone)
  if (!days) {
    days = new Map()
    dayOffsets.set(timeZone, days)
  }
  const day = Math.floor(second / DAY)
  let entry = days.get(day)
  if (entry === undefined) {
    // Bounded, for an isolate that lives long: starting over costs a few Intl calls per day.
    if (days.size >= 20_000) days.clear()
    entry = dayOffset(day, timeZone)
    days.set(day, entry)
  }
  if (typeof entry === 'number') return entry
  return second < entry.at ? entry.before : entry.after
}

function dayOffset(day: number, timeZone: string): DayOffset {
  const before = offsetAtDayStart(day, timeZone)
  const after = offsetAtDayStart(day + 1, timeZone)
  if (before === after) return before
  // The first second of the day whose offset is the next day's.
  let low = day * DAY
  let high = (day + 1) * DAY
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000
    if (intlOffsetMs(middle, timeZone) === after) high = middle
    else low = middle
  }
  return { at: high, before, after }
}

function offsetAtDayStart(day: number, timeZone: string): number {
  let starts = dayStarts.get(timeZone)
  if (!starts) {
    starts = new Map()
    dayStarts.set(timeZone, starts)
  }
  let offset = starts.get(day)
  if (offset === undefined) {
    if (starts.size >= 20_000) starts.clear()
    offset = intlOffsetMs(day * DAY, timeZone)
    starts.set(day, offset)
  }
  return offset
}

/** Minutes to add to UTC to get the wall-clock time in `timeZone` at `instant`. */
export function offsetMinutes(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60000)
}

/** The instant at which the wall clock in `timeZone` reads the given time. */
export function zonedToInstant(w: WallClock, timeZone: string): number {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  // The offset at the guess may differ from the offset at the answer across a DST change;
  // a second pass settles it.
  const first = guess - offsetMinutes(guess, timeZone) * 60000
  return guess - offsetMinutes(first, timeZone) * 60000
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** RFC 3339 with the offset of `timeZone`, e.g. `2026-03-03T08:30:00-05:00`. */
export function toZonedIso(instant: number, timeZone: string): string {
  const w = wallClock(instant, timeZone)
  const offset = offsetMinutes(instant, timeZone)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return (
    `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  )
}

/** `YYYY/MM` of `instant` in `timeZone`: the month a post belongs to and the start of its URL. */
export function monthPath(instant: number, timeZone: string): string {
  const w = wallClock(instant, timeZone)
  return `${pad(w.year, 4)}/${pad(w.month)}`
}

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const

export const monthName = (month: number): string => MONTH_NAMES[month - 1] ?? String(month)

/** A reader's date, e.g. `Tuesday, March 3, 2026`. */
export function formatDay(iso: string, timeZone: string): string {
  // The publisher writes every date on the site's clock with its offset, so the wall-clock date is
  // in the text itself; reading it there spares a fresh isolate building an Intl formatter.
  const zoned = ZONED_DATE.exec(iso)
  if (zoned) {
    const [year, month, day] = [Number(zoned[1]), Number(zoned[2]), Number(zoned[3])]
    const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]
    return `${weekday}, ${monthName(month)} ${day}, ${year}`
  }
  return formatter('day', timeZone, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(Date.parse(iso))
}

const ZONED_DATE = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?[+-]\d{2}:\d{2}$/
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i

/**
 * Reads a front-matter date: ISO 8601 with an offset is taken as it is; a date or date-time
 * without one is read on the wall clock of the site's time zone. Returns NaN when unreadable.
 */
export function parseContentDate(text: string, timeZone: string): number {
  const trimmed = text.trim()
  if (WITH_OFFSET.test(trimmed)) return Date.parse(trimmed.replace(' ', 'T'))
  const m = LOCAL_DATE_TIME.exec(trimmed)
  if (!m) return Number.NaN
  const w = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  }
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > 31 || w.hour > 23 || w.minute > 59 || w.second > 59) {
    return Number.NaN
  }
  const instant = zonedToInstant(w, timeZone)
  // 2026-02-31 would roll over into March: refuse dates that do not exist.
  const back = wallClock(instant, timeZone)
  return back.day === w.day && back.month === w.month ? instant : Number.NaN
}

/** Whether `timeZone` is an IANA name that Intl knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}
