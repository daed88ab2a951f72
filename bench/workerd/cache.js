// An in-memory stand-in for the data center's cache, behind workerd's `cacheApiOutbound`: workerd
// turns `cache.match` into a GET, `cache.put` into a PUT whose body is the serialised HTTP response,
// and `cache.delete` into a PURGE, all at the cache key's URL (the protocol Miniflare's cache speaks).
// Like the edge, it keeps what `Cache-Control` lets a shared cache keep, for as long as it says.

const store = new Map()
const CRLFCRLF = [13, 10, 13, 10]

function headerEnd(bytes) {
  outer: for (let i = 0; i + 3 < bytes.length; i++) {
    for (let j = 0; j < 4; j++) if (bytes[i + j] !== CRLFCRLF[j]) continue outer
    return i
  }
  return -1
}

function lifetimeSeconds(cacheControl) {
  const cc = (cacheControl || '').toLowerCase()
  if (/(^|,)\s*(private|no-store)\s*(,|$)/.test(cc)) return 0
  const shared = /s-maxage=(\d+)/.exec(cc) || /max-age=(\d+)/.exec(cc)
  return shared ? Number(shared[1]) : 0
}

const miss = () => new Response(null, { status: 504, headers: { 'cf-cache-status': 'MISS' } })

export default {
  async fetch(request) {
    const key = request.url
    if (request.method === 'GET') {
      const hit = store.get(key)
      if (!hit) return miss()
      if (hit.expires <= Date.now()) {
        store.delete(key)
        return miss()
      }
      return new Response(hit.body, { status: hit.status, headers: hit.headers })
    }
    if (request.method === 'PUT') {
      const bytes = new Uint8Array(await request.arrayBuffer())
      const end = headerEnd(bytes)
      if (end === -1) return new Response('no blank line after the headers', { status: 400 })
      const [statusLine, ...lines] = new TextDecoder().decode(bytes.subarray(0, end)).split('\r\n')
      const status = Number(/^HTTP\/\d(?:\.\d)? (\d+)/.exec(statusLine)?.[1] ?? 0)
      const headers = new Headers()
      for (const line of lines) {
        const colon = line.indexOf(':')
        if (colon > 0) headers.append(line.slice(0, colon), line.slice(colon + 1).trim())
      }
      const ttl = lifetimeSeconds(headers.get('cache-control'))
      if (ttl <= 0 || status === 206) return new Response(null, { status: 413 })
      headers.set('cf-cache-status', 'HIT')
      store.set(key, { status, headers, body: bytes.slice(end + 4), expires: Date.now() + ttl * 1000 })
      return new Response(null, { status: 204 })
    }
    if (request.method === 'PURGE') return new Response(null, { status: store.delete(key) ? 200 : 404 })
    return new Response(null, { status: 405 })
  },
}
