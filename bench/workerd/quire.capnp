# A workerd configuration for the benchmarks, served directly (`workerd serve <file>`), never
# through `wrangler dev`, whose proxy caps out near 600 requests per second on a small machine.
# bench/lib/procs.ts passes the socket (`--socket-addr http=127.0.0.1:PORT`) and the KV directories
# (`--directory-path NAME=DIR`); bench/run.ts checks that the compatibility date matches wrangler.jsonc.
#
# KV is a directory with one file per key (`head`, `blob:<sha256>`), which workerd's KV binding
# reads through a disk service, behind kv-bulk.js, which answers a read of several keys at once;
# the Cache API is cache.js, in memory.

using Workerd = import "/workerd/workerd.capnp";

# Quire as deployed: the bundle `wrangler deploy --dry-run --outdir bench/results/bundle` wrote.
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .quireWorker),
    (name = "kv", disk = (path = "/set-with--directory-path")),
    (name = "kv-bulk", worker = .kvFront),
    (name = "cache", worker = .cacheWorker),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:8080", http = (), service = "main") ],
);

const quireWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "../results/bundle/worker.js") ],
  compatibilityDate = "2026-04-20",
  bindings = [
    (name = "CONTENT", kvNamespace = "kv-bulk"),
    (name = "CF_VERSION_METADATA", json = "{\"id\":\"bench\",\"tag\":\"\",\"timestamp\":\"2026-11-20T12:00:00Z\"}"),
  ],
  cacheApiOutbound = "cache",
);

const cacheWorker :Workerd.Worker = (
  modules = [ (name = "cache.js", esModule = embed "cache.js") ],
  compatibilityDate = "2026-04-20",
);

const kvFront :Workerd.Worker = (
  modules = [ (name = "kv-bulk.js", esModule = embed "kv-bulk.js") ],
  compatibilityDate = "2026-04-20",
  bindings = [ (name = "disk", service = "kv") ],
);
