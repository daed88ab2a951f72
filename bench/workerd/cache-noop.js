// A cache that never hits, for measuring what a miss costs: every request renders.
export default {
  async fetch(request) {
    if (request.method === 'PUT') await request.body?.pipeTo(new WritableStream())
    return request.method === 'GET'
      ? new Response(null, { status: 504, headers: { 'cf-cache-status': 'MISS' } })
      : new Response(null, { status: request.method === 'PUT' ? 204 : 404 })
  },
}
