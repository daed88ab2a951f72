import { type ChildProcess, spawn } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TargetError } from './errors'

// Every read and write of KV goes through `wrangler kv …` child processes, so the CLI uses the
// author's wrangler login, config and local store exactly as `wrangler dev` and `wrangler deploy` do.

export const BINDING = 'CONTENT'

/** Where a command reads and writes: the local store (as `wrangler dev` sees it) or the real namespace. */
export interface Target {
  mode: 'local' | 'remote'
  /** The local store's directory, passed to wrangler as `--persist-to`. */
  persistTo?: string
  /** A wrangler environment (`--env`). */
  env?: string
  /** A wrangler config file (`--config`). */
  config?: string
}

export function describeTarget(target: Target): string {
  if (target.mode === 'remote') return `the remote namespace bound to ${BINDING}${target.env ? ` (env ${target.env})` : ''}`
  return `the local store in ${target.persistTo ?? '.wrangler/state'}`
}

/**
 * The wrangler to run: $QUIRE_WRANGLER, else the first `wrangler` on PATH (`npm run` puts the
 * project's own first, and a test can put a wrapper before it), else the project's own.
 */
export function resolveWrangler(): string {
  const fromEnv = process.env.QUIRE_WRANGLER
  if (fromEnv) return fromEnv
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, 'wrangler')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // Not in this directory: keep looking.
    }
  }
  return projectWrangler(dirname(fileURLToPath(import.meta.url)))
}

/**
 * The project's own wrangler, looked for as Node looks for a package: in `node_modules/.bin` here
 * and in every directory above, since this module runs from src/cli or from the CLI's bundle in
 * node_modules/.cache.
 */
function projectWrangler(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', 'wrangler')
    if (existsSync(candidate) || dirname(dir) === dir) return candidate
  }
}

/** A key-value pair for `wrangler kv bulk put`. */
export interface KvEntry {
  key: string
  /** Text, or with `base64`, bytes written in base64 (an image), which KV keeps decoded. */
  value: string
  base64?: true
  metadata?: Record<string, unknown>
}

/** The bytes of the entries' values. */
export const bytesOf = (entries: KvEntry[]): number => entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.value), 0)

export interface ListedKey {
  name: string
  metadata?: Record<string, unknown>
}

/** Keys per bulk write or delete, and bytes per bulk write: Cloudflare's limits. */
export const BULK_MAX_KEYS = 10_000
export const BULK_PUT_MAX_BYTES = 100_000_000
/** The bulk-read API answers at most this many keys per request. */
const REMOTE_BULK_GET_MAX_KEYS = 100
/** A local `key list` returns one page of this many keys and no cursor. */
const LOCAL_LIST_PAGE = 1000
const HEX_DIGITS = '0123456789abcdef'

/** Splits entries into files wrangler and the API accept: at most 10,000 pairs and under 100 MB. */
export function chunkForBulkPut(entries: KvEntry[]): KvEntry[][] {
  const chunks: KvEntry[][] = []
  let chunk: KvEntry[] = []
  let bytes = 2
  for (const entry of entries) {
    const size = Buffer.byteLength(JSON.stringify(entry)) + 1
    if (chunk.length > 0 && (chunk.length >= BULK_MAX_KEYS || bytes + size >= BULK_PUT_MAX_BYTES)) {
      chunks.push(chunk)
      chunk = []
      bytes = 2
    }
    chunk.push(entry)
    bytes += size
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}

const running = new Set<ChildProcess>()

/** Stops the wrangler processes this process started and that still run (for a clean shutdown). */
export function stopRunningWrangler(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of running) child.kill(signal)
}

export interface RunOptions {
  /** Called with each line wrangler prints on stdout, as it prints it. */
  onLine?: (line: string) => void
}

/** The namespace bound to CONTENT in the target, reached through wrangler. */
export class Kv {
  readonly wrangler = resolveWrangler()

  constructor(readonly target: Target) {}

  /** Values by key; null for a key the target does not have. */
  async bulkGet(keys: string[]): Promise<Map<string, string | null>> {
    const values = new Map<string, string | null>()
    // Locally every key is read in one process; remotely the API caps a request at 100 keys.
    const size = this.target.mode === 'remote' ? REMOTE_BULK_GET_MAX_KEYS : Math.max(keys.length, 1)
    for (let i = 0; i < keys.length; i += size) {
      const batch = keys.slice(i, i + size)
      const stdout = await this.withFile(batch, (file) => this.run(['kv', 'bulk', 'get', file]))
      const parsed = parseJsonOutput(stdout, 'kv bulk get') as Record<string, unknown>
      for (const key of batch) values.set(key, valueOf(parsed[key]))
    }
    return values
  }

  /** Writes one bulk-put file; `onLine` sees wrangler's progress lines for large remote writes. */
  async bulkPut(entries: KvEntry[], options: RunOptions = {}): Promise<void> {
    await this.withFile(entries, (file) => this.run(['kv', 'bulk', 'put', file], options))
  }

  async bulkDelete(keys: string[]): Promise<void> {
    await this.withFile(keys, (file) => this.run(['kv', 'bulk', 'delete', file, '--force']))
  }

  /**
   * Every key under `prefix` whose next characters are hex digits (blob, manifest and render keys),
   * with metadata. Remote listing follows the cursor; a local listing stops at one page, so a full
   * page is listed again one hex digit deeper.
   */
  async listHexKeys(prefix: string): Promise<ListedKey[]> {
    const stdout = await this.run(['kv', 'key', 'list', '--prefix', prefix])
    const keys = parseJsonOutput(stdout, 'kv key list') as ListedKey[]
    if (this.target.mode === 'remote' || keys.length < LOCAL_LIST_PAGE) return keys
    const all: ListedKey[] = []
    for (const digit of HEX_DIGITS) all.push(...(await this.listHexKeys(prefix + digit)))
    return all
  }

  private async withFile<T>(content: unknown, use: (file: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'quire-kv-'))
    try {
      const file = join(dir, 'input.json')
      await writeFile(file, JSON.stringify(content))
      return await use(file)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  /** Runs `wrangler <args>` against the target; resolves with stdout, or throws a TargetError. */
  run(args: string[], options: RunOptions = {}): Promise<string> {
    return runWrangler(this.wrangler, args, this.targetArgs(), options)
  }

  private targetArgs(): string[] {
    const { mode, persistTo, env, config } = this.target
    return [
      `--${mode}`,
      '--binding',
      BINDING,
      ...(persistTo ? ['--persist-to', persistTo] : []),
      ...(env ? ['--env', env] : []),
      ...(config ? ['--config', config] : []),
    ]
  }
}

/**
 * Runs `wrangler <args> <more>` (`more`: arguments left out of error messages); resolves with
 * stdout, or throws a TargetError that says what wrangler said.
 */
export function runWrangler(wrangler: string, args: string[], more: string[] = [], options: RunOptions = {}): Promise<string> {
  const full = [...args, ...more]
  return new Promise((resolvePromise, reject) => {
    const child = spawn(wrangler, full, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // No metrics and no colours: the output is parsed, and there is no network to report to.
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', FORCE_COLOR: '0', NO_COLOR: '1' },
    })
    running.add(child)
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let partial = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk)
      if (!options.onLine) return
      const lines = (partial + chunk.toString('utf8')).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) options.onLine(line)
    })
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', (error: NodeJS.ErrnoException) => {
      running.delete(child)
      const why = error.code === 'ENOENT' ? `${wrangler} does not exist: run \`npm install\`` : error.message
      reject(new TargetError(`could not start wrangler: ${why}`, { cause: error }))
    })
    child.on('close', (code, signal) => {
      running.delete(child)
      const out = Buffer.concat(stdout).toString('utf8')
      if (options.onLine && partial) options.onLine(partial)
      if (code === 0) {
        resolvePromise(out)
        return
      }
      const status = signal ? `was killed by ${signal}` : `exited with ${code}`
      const said = explain(Buffer.concat(stderr).toString('utf8') || out)
      reject(new TargetError(`wrangler ${args.slice(0, 3).join(' ')} ${status}${said ? `:\n${said}` : ''}${hintFor(said)}`))
    })
  })
}

function valueOf(entry: unknown): string | null {
  if (typeof entry === 'string') return entry
  if (entry && typeof entry === 'object' && 'value' in entry) {
    const value = (entry as { value: unknown }).value
    return typeof value === 'string' ? value : null
  }
  return null
}

/** wrangler prints JSON, then sometimes a blank line and "Success!". */
function parseJsonOutput(stdout: string, command: string): unknown {
  const start = stdout.search(/[[{]/)
  const end = Math.max(stdout.lastIndexOf('}'), stdout.lastIndexOf(']'))
  try {
    if (start < 0 || end < start) throw new Error('no JSON in the output')
    return JSON.parse(stdout.slice(start, end + 1))
  } catch (cause) {
    throw new TargetError(`could not read the output of wrangler ${command}: ${stdout.slice(0, 300)}`, { cause })
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters.
const ANSI = /\u001b\[[0-9;]*m/g
const NOISE = [/^🪵/, /Logs were written/, /open beta command/, /^⛅️ wrangler/, /^─+$/, /update available/]

/** What wrangler said, without colours, banners, log-file notes, or the API token. */
export function explain(text: string): string {
  const token = process.env.CLOUDFLARE_API_TOKEN
  const lines = text
    .replace(ANSI, '')
    .split('\n')
    .map((line) => line.replace(/^✘ \[ERROR\] /, '').trimEnd())
    .filter((line) => line.trim() !== '' && !NOISE.some((noise) => noise.test(line.trim())))
  const said = lines.slice(-20).join('\n')
  return token ? said.split(token).join('[redacted]') : said
}

function hintFor(said: string): string {
  if (/CLOUDFLARE_API_TOKEN|not logged in|wrangler login|Authentication error|code: 10000|code: 9109/i.test(said)) {
    return '\nLog in with `npx wrangler login`, or set CLOUDFLARE_API_TOKEN to an API token allowed to edit Workers KV.'
  }
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i.test(said)) {
    return "\nCloudflare's API could not be reached: check the network connection and try again."
  }
  return ''
}

const CONFIG_NAMES = ['wrangler.jsonc', 'wrangler.json', 'wrangler.toml']
const PLACEHOLDER_ID = /^0+$/

/** The wrangler config file wrangler itself would read. */
export function findConfig(config?: string): string | null {
  if (config) return resolve(config)
  for (const name of CONFIG_NAMES) {
    const path = resolve(name)
    if (existsSync(path)) return path
  }
  return null
}

/**
 * Refuses, before any wrangler call and with the commands that fix it, a target without a wrangler
 * config, and a remote target whose namespace id is missing or still the placeholder.
 */
export function assertTargetConfig(target: Target): void {
  const path = findConfig(target.config)
  if (!path) {
    const where = target.config ? `at ${resolve(target.config)}` : `(wrangler.jsonc) in ${process.cwd()}`
    throw new TargetError(`there is no wrangler config ${where}: run quire from the project's directory, or pass --config FILE`)
  }
  if (target.mode !== 'remote') return
  const name = basename(path)
  const fix =
    `Create the namespace with \`npx wrangler kv namespace create ${BINDING}\`, then put the id it prints in ${name} ` +
    `(kv_namespaces, the entry with "binding": "${BINDING}"${target.env ? `, under env.${target.env}` : ''}).`
  const id = namespaceId(path, target.env)
  if (id === undefined) throw new TargetError(`${name} binds no KV namespace to ${BINDING}${target.env ? ` in env ${target.env}` : ''}. ${fix}`)
  if (id === null || PLACEHOLDER_ID.test(id)) {
    throw new TargetError(`${name} still has the placeholder id for the ${BINDING} namespace, so there is no remote namespace to publish to. ${fix}`)
  }
}

/** The id bound to CONTENT: a string, null when the entry has none, undefined when there is no entry. */
function namespaceId(path: string, env: string | undefined): string | null | undefined {
  const text = readFileSync(path, 'utf8')
  if (path.endsWith('.toml')) {
    // TOML is not parsed here: only the placeholder is looked for; wrangler reports the rest.
    return /\bid\s*=\s*"0+"/.test(text) ? '0' : 'unknown'
  }
  let config: Record<string, unknown>
  try {
    config = JSON.parse(stripJsonComments(text)) as Record<string, unknown>
  } catch (cause) {
    throw new TargetError(`${path} is not valid JSON: ${(cause as Error).message}`, { cause })
  }
  const section = env ? ((config.env as Record<string, Record<string, unknown>> | undefined)?.[env] ?? {}) : config
  const namespaces = (section.kv_namespaces ?? []) as { binding?: string; id?: string }[]
  const entry = namespaces.find((ns) => ns.binding === BINDING)
  if (!entry) return undefined
  return typeof entry.id === 'string' ? entry.id : null
}

/** JSONC → JSON: drops comments and trailing commas, leaving strings alone. */
export function stripJsonComments(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    const next = text[i + 1]
    if (c === '"') {
      const start = i
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++
      out += text.slice(start, i + 1)
    } else if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? text.length : end + 1
    } else if (c === ',' && /^\s*(\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*[}\]]/.test(text.slice(i + 1))) {
      // A trailing comma: JSON has none.
    } else {
      out += c
    }
  }
  return out
}

/** The local store's directory, as wrangler resolves it: `.wrangler/state` beside the config. */
export function localStoreDir(target: Target): string {
  if (target.persistTo) return resolve(target.persistTo)
  const config = findConfig(target.config)
  return join(config ? dirname(config) : process.cwd(), '.wrangler', 'state')
}
