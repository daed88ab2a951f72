import type { MiddlewareHandler } from 'hono'
import { IMAGES_PATH } from '../content/keys'

// The security headers of every response, as one constant list: the middleware sets them on what
// the app answers, and a page kept in the caches carries them already, so that a cache hit is
// answered without setting them again (or without the app at all). Headers only browsers and
// plug-ins of another era read (X-XSS-Protection, X-Download-Options,
// X-Permitted-Cross-Domain-Policies) are left out: each costs every response, hits included.

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['cross-origin-resource-policy', 'same-origin'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'strict-origin-when-cross-origin'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  // For browsers older than frame-ancestors; the same answer.
  ['x-frame-options', 'DENY'],
  ['content-security-policy', CONTENT_SECURITY_POLICY],
  ['permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'],
]

const withHeader = (headers: typeof SECURITY_HEADERS, name: string, value: string) =>
  headers.map((header) => (header[0] === name ? ([name, value] as const) : header))

/** The blog's images: other sites and feed readers show them, which same-origin would forbid. */
const IMAGE_HEADERS = withHeader(SECURITY_HEADERS, 'cross-origin-resource-policy', 'cross-origin')
/**
 * An SVG opened on its own is a document: it runs no script and loads nothing, in a sandbox whose
 * origin is opaque, so no agent cluster can be keyed to it (Chromium warns of the header).
 */
const SVG_HEADERS = withHeader(IMAGE_HEADERS, 'content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox").filter(
  ([name]) => name !== 'origin-agent-cluster',
)

/**
 * The security headers of an image at `path` (and any query), or of a page elsewhere. By path, so
 * that a 304 (which a browser's cache merges into the response it holds) carries the same ones as
 * the 200 did: only a 200 has an ETag, and under /images/ a 200 is an image.
 */
export function securityHeadersFor(path: string): typeof SECURITY_HEADERS {
  if (!path.startsWith(IMAGES_PATH)) return SECURITY_HEADERS
  return /\.svg(?:\?|$)/i.test(path) ? SVG_HEADERS : IMAGE_HEADERS
}

/** Sets the security headers of a response at `path`: an image's only if it is one (a 404 is a page). */
export function addSecurityHeaders(headers: Headers, path: string): void {
  const image = headers.get('content-type')?.startsWith('image/') ?? false
  for (const [name, value] of image ? securityHeadersFor(path) : SECURITY_HEADERS) headers.set(name, value)
}

/** Outermost, so that 404s, 405s, error pages and assets carry the same headers as pages. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  addSecurityHeaders(c.res.headers, c.req.path)
}
