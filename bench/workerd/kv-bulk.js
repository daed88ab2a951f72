// In front of a KV directory (a disk service): workerd's KV binding sends a read of several keys as
// one POST to /bulk/get, which a disk service does not answer, so this answers it by reading each
// key's file. Everything else (one key's GET, a PUT) goes to the directory unchanged, but where
// `acknowledgeWrites` is set: there a PUT is read and answered as written, and nothing is kept.
export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    if (request.method === 'PUT' && env.acknowledgeWrites) {
      await request.arrayBuffer()
      return new Response(null, { status: 200 })
    }
    if (request.method !== 'POST' || url.pathname !== '/bulk/get') return env.disk.fetch(request)
    const { keys, type = 'text', withMetadata = false } = await request.json()
    const values = {}
    await Promise.all(
      keys.map(async (key) => {
        const res = await env.disk.fetch(`http://kv/${encodeURIComponent(key)}`)
        if (res.status === 404) {
          await res.body?.cancel()
          values[key] = null
          return
        }
        if (!res.ok) throw new Error(`the KV directory answered ${res.status} for "${key}"`)
        const text = await res.text()
        const value = type === 'json' ? JSON.parse(text) : text
        values[key] = withMetadata ? { value, metadata: null } : value
      }),
    )
    return Response.json(values)
  },
}
