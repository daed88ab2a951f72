# KV for the measuring Worker (bench.capnp), in a workerd process of its own, as KV is a service of
# its own in production: reading the files and answering a bulk read then costs the measured
# process nothing, whichever corpus is read. bench/lib/procs.ts starts it on the load generator's
# core, passing the three sockets' addresses and the KV directories (`--directory-path NAME=DIR`).
#
# KV is a directory with one file per key (`head`, `blob:<sha256>`, `render:…`), which workerd's
# KV binding reads through a disk service, behind kv-bulk.js, which answers a read of several keys
# at once. P3's two are writable, so the renders the Worker keeps land there as they would in KV;
# P2's keeps nothing, so every fresh isolate renders the post's Markdown: its front answers a write
# as KV answers one that succeeds, without writing, so that the Worker pays for keeping a render
# what it pays in production, not for a write refused and its error logged.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "kv", disk = (path = "/set-with--directory-path")),
    (name = "kv-bulk", worker = .kvFront),
    (name = "kv100", disk = (path = "/set-with--directory-path", writable = true)),
    (name = "kv100-bulk", worker = .kv100Front),
    (name = "kv10000", disk = (path = "/set-with--directory-path", writable = true)),
    (name = "kv10000-bulk", worker = .kv10000Front),
  ],
  sockets = [
    (name = "kv", address = "127.0.0.1:8081", http = (), service = "kv-bulk"),
    (name = "kv100", address = "127.0.0.1:8082", http = (), service = "kv100-bulk"),
    (name = "kv10000", address = "127.0.0.1:8083", http = (), service = "kv10000-bulk"),
  ],
);

const kvFront :Workerd.Worker = (
  modules = [ (name = "kv-bulk.js", esModule = embed "kv-bulk.js") ],
  compatibilityDate = "2026-04-20",
  bindings = [ (name = "disk", service = "kv"), (name = "acknowledgeWrites", json = "true") ],
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
