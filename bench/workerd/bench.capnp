# A workerd configuration for the benchmarks, served directly (`workerd serve <file>`), never
# through `wrangler dev`, whose proxy caps out near 600 requests per second on a small machine.
# bench/lib/procs.ts passes the socket (`--socket-addr http=127.0.0.1:PORT`) and the addresses of
# the KV process it starts beside this one (kv.capnp; `--external-addr kv-bulk=127.0.0.1:PORT`, …);
# bench/run.ts checks that the compatibility date matches wrangler.jsonc.

using Workerd = import "/workerd/workerd.capnp";

# The measuring Worker (bench/workers/bench.tsx, bundled to bench/results/bench-worker): Quire's own
# modules plus bare marked, timed inside one isolate, with a cache that never hits so every request
# renders. C100 and C10000 hold the 100- and 10,000-post corpora for P3.
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .benchWorker),
    (name = "kv-bulk", external = (address = "127.0.0.1:8081", http = ())),
    (name = "kv100-bulk", external = (address = "127.0.0.1:8082", http = ())),
    (name = "kv10000-bulk", external = (address = "127.0.0.1:8083", http = ())),
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
