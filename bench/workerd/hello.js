// The ceilings: the least a Worker can do. P1 divides Quire's cached-page rate by this one's
// 12-byte answer (the goal), by a constant body as large as the page (`/bytes/N`), and by
// that body sent with the headers a Quire hit sends (`/bytes/N/headers`, once a POST to the same
// URL has given them), so that what the bytes cost, what the headers cost and what Quire's code
// costs are told apart.
const bodies = new Map()
const headersBySize = new Map()

export default {
  async fetch(request) {
    const url = request.url
    const at = url.indexOf('/bytes/')
    if (at === -1) return new Response('Hello World!')
    const size = parseInt(url.slice(at + 7), 10)
    if (request.method === 'POST') {
      headersBySize.set(size, new Headers(await request.json()))
      return new Response(null, { status: 204 })
    }
    let body = bodies.get(size)
    if (!body) {
      body = new Uint8Array(size).fill(0x61)
      bodies.set(size, body)
    }
    const headers = url.endsWith('/headers') ? headersBySize.get(size) : { 'content-type': 'text/html; charset=utf-8' }
    return new Response(body, { headers })
  },
}
