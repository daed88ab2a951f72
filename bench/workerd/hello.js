// The ceilings: the least a Worker can do. P1 divides Quire's cached-page rate by this one's
// 12-byte answer (the goal) and by a constant body as large as the page (`/bytes/N`), so
// that what the bytes cost is told apart from what Quire's code costs.
const bodies = new Map()

export default {
  fetch(request) {
    const url = request.url
    const at = url.indexOf('/bytes/')
    if (at === -1) return new Response('Hello World!')
    const size = Number(url.slice(at + 7))
    let body = bodies.get(size)
    if (!body) {
      body = new Uint8Array(size).fill(0x61)
      bodies.set(size, body)
    }
    return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } })
  },
}
