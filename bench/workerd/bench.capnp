# A workerd configuration for the benchmarks, served directly (`workerd serve <file>`), never
# through `wrangler dev`, whose proxy caps out near 600 requests per second on a small machine.
# bench/lib/procs.ts passes the socket (`--socket-addr http=127.0.0.1:PORT`) and the KV directories
# (`--directory-path NAME=DIR`); bench/run.ts checks that the compatibility date matches wrangler.jsonc.
#
# KV is a directory with one file per key (`head`, `blob:<sha256>`), which workerd's KV binding
# reads through a disk service, behind kv-bulk.js, which answers a read of several keys at once
# (its forwarding runs on workerd's main thread too, for 100 posts as for 10,000). P3's two are
# writable, so the renders the Worker keeps land there as they would in KV; P2's is read-only, so every fresh isolate renders the post's Markdown.

using Workerd = import "/workerd/workerd.capnp";

# The measuring Worker (bench/workers/bench.tsx, bundled to bench/results/bench-worker): Quire's own
# modules plus bare marked, timed inside one isolate, with a cache that never hits so every request
# renders. C100 and C10000 hold the 100- and 10,000-post corpora for P3.
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .benchWorker),
    (name = "kv", disk = (path = "/set-with--directory-path")),
    (name = "kv-bulk", worker = .kvFront),
    (name = "kv100", disk = (path = "/set-with--directory-path", writable = true)),
    (name = "kv100-bulk", worker = .kv100Front),
    (name = "kv10000", disk = (path = "/set-with--directory-path", writable = true)),
    (name = "kv10000-bulk", worker = .kv10000Front),
    (name = "nocache", worker = .noCacheWorker),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:8080", http = (), service = "main") ],
);

const benchWorker :Workerd.Worker = (
  modules = [ (name = "bench.js", esModule = embed "../results/bench-worker/bench.js") ],
  compatibilityDate = "2026-04-20",
  bindings = [
    (name = "CONTENT", kvNamespace = "kv-bulk"),
    (name = "C100", kvNamespace = "kv100-bulk"),
    (name = "C10000", kvNamespace = "kv10000-bulk"),
    (name = "CF_VERSION_METADATA", json = "{\"id\":\"bench\",\"tag\":\"\",\"timestamp\":\"2026-11-20T12:00:00Z\"}"),
  ],
  cacheApiOutbound = "nocache",
);

const noCacheWorker :Workerd.Worker = (
  modules = [ (name = "cache-noop.js", esModule = embed "cache-noop.js") ],
  compatibilityDate = "2026-04-20",
);

const kvFront :Workerd.Worker = (
  modules = [ (name = "kv-bulk.js", esModule = embed "kv-bulk.js") ],
  compatibilityDate = "2026-04-20",
  bindings = [ (name = "disk", service = "kv") ],
);

const kv100Front :Workerd.Worker = (
  modules = [ (name = "kv-bulk.js", esModule = embed "kv-bulk.js") ],
  compatibilityDate = "2026-04-20",
  bindings = [ (name = "disk", service = "kv100") ],
);

const kv10000Front :Workerd.Worker = (
  modules = [ (name = "kv-bulk.js", esModule = embed "kv-bulk.js") ],
  compatibilityDate = "2026-04-20",
  bindings = [ (name = "disk", service = "kv10000") ],
);
