# A workerd configuration for the benchmarks, served directly (`workerd serve <file>`), never
# through `wrangler dev`, whose proxy caps out near 600 requests per second on a small machine.
# bench/lib/procs.ts passes the socket (`--socket-addr http=127.0.0.1:PORT`) and the KV directories
# (`--directory-path NAME=DIR`); bench/run.ts checks that the compatibility date matches wrangler.jsonc.

using Workerd = import "/workerd/workerd.capnp";

# The ceiling for P1: a hello-world Worker.
const config :Workerd.Config = (
  services = [ (name = "main", worker = .helloWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8080", http = (), service = "main") ],
);

const helloWorker :Workerd.Worker = (
  modules = [ (name = "hello.js", esModule = embed "hello.js") ],
  compatibilityDate = "2026-04-20",
);
