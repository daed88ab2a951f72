# A workerd configuration for the benchmarks, served directly (`workerd serve <file>`), never
# through `wrangler dev`. bench/lib/procs.ts passes the socket and the KV directory; bench/run.ts
# checks that the compatibility date matches wrangler.jsonc.
#
# P5's start-up: Quire's production bundle alone (no cache service, and KV straight from the disk
# service without the kv-bulk.js front, a Worker of its own: only requests use either), so that the
# CPU workerd spends before it listens, minus hello.capnp's, is Quire's start-up.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .quireWorker),
    (name = "kv", disk = (path = "/set-with--directory-path")),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:8080", http = (), service = "main") ],
);

const quireWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "../results/bundle/worker.js") ],
  compatibilityDate = "2026-04-20",
  bindings = [
    (name = "CONTENT", kvNamespace = "kv"),
    (name = "CF_VERSION_METADATA", json = "{\"id\":\"bench\",\"tag\":\"\",\"timestamp\":\"2026-11-20T12:00:00Z\"}"),
  ],
);
