import { decodeEntities } from './entities'

// Feed readers show a post away from the site, so its links and images must carry the full URL.

const URL_ATTRIBUTE = /(\s(?:href|src)=")([^"]*)"/g

/** Rendered HTML with every href and src resolved against `pageUrl`. */
export function absoluteUrls(html: string, pageUrl: string): string {
  return html.replace(URL_ATTRIBUTE, (whole, start: string, value: string) => {
    const raw = decodeEntities(value)
    if (!URL.canParse(raw, pageUrl)) return whole
    const absolute = new URL(raw, pageUrl).href
    return `${start}${absolute.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`
  })
}
