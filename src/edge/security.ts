import type { MiddlewareHandler } from 'hono'

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

export function addSecurityHeaders(headers: Headers): void {
  for (const [name, value] of SECURITY_HEADERS) headers.set(name, value)
}

/** Outermost, so that 404s, 405s, error pages and assets carry the same headers as pages. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  addSecurityHeaders(c.res.headers)
}
