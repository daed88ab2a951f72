import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { quire, ROOT, tempDir } from './helpers'

const TARGET_OPTIONS = ['--local', '--remote', '--persist-to <dir>', '--env <name>', '--config <file>']

const COMMANDS: Record<string, string[]> = {
  new: ['<title>', '--labels <a,b>', '--draft', '--content <dir>'],
  check: ['--drafts', '--render-budget <ms>', '--content <dir>'],
  build: ['--drafts', '--json', '--content <dir>'],
  publish: [...TARGET_OPTIONS, '--dry-run', '--drafts', '--render-budget <ms>', '--content <dir>'],
  status: [...TARGET_OPTIONS, '--drafts', '--content <dir>'],
  versions: TARGET_OPTIONS,
  rollback: [...TARGET_OPTIONS, '[version]'],
  prune: [...TARGET_OPTIONS, '--older-than <duration>', '--dry-run'],
}

describe.concurrent('--help', () => {
  it('quire --help lists every command and the exit codes', async () => {
    const result = await quire(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Usage: quire \[options\] \[command\]/)
    for (const command of Object.keys(COMMANDS)) expect(result.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'))
    expect(result.stdout).toContain('Exit codes: 0 done; 1 the content or the command line is wrong')
  })

  it.each(Object.entries(COMMANDS))('quire %s --help describes its options', async (command, options) => {
    const result = await quire([command, '--help'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`^Usage: quire ${command} `))
    for (const option of options) expect(result.stdout).toContain(option)
    expect(result.stdout).toContain('Exit codes:')
  })

  it('npm start --help describes the port, the store and the content directory', async () => {
    const result = await quire(['--help'], { script: 'src/cli/start.ts' })
    expect(result.code).toBe(0)
    for (const option of ['--port <port>', '--persist-to <dir>', '--content <dir>', '--drafts', 'env: PORT', 'env: QUIRE_PERSIST_TO']) {
      expect(result.stdout).toContain(option)
    }
  })
})

describe.concurrent('usage errors exit 1 and say what to do', () => {
  it.each([
    [['publish'], 'error: say where: --local (the store `npm start` serves) or --remote (your Cloudflare account)'],
    [['status', '--local', '--remote'], 'error: say where: --local (the store `npm start` serves) or --remote (your Cloudflare account)'],
    [['versions', '--remote', '--persist-to', 'x'], 'error: --persist-to names a local store: use it with --local'],
    [['publish', '--local', '--render-budget', 'fast'], 'error: --render-budget must be a number of milliseconds, not "fast"'],
    [['publsh', '--local'], "error: unknown command 'publsh'\n(Did you mean publish?)"],
    [['publish', '--lcoal'], "error: unknown option '--lcoal'\n(Did you mean --local?)"],
  ])('quire %s', async (args, message) => {
    const result = await quire(args)
    expect(result.code).toBe(1)
    expect(result.stderr.startsWith(message)).toBe(true)
  })
})

describe.concurrent('remote targets', () => {
  it('refuses the placeholder namespace id before calling wrangler, with the commands that fix it (exit 2)', async () => {
    const result = await quire(['publish', '--remote'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'error: wrangler.jsonc still has the placeholder id for the CONTENT namespace, so there is no remote namespace to publish to. ' +
        'Create the namespace with `npx wrangler kv namespace create CONTENT`, then put the id it prints in wrangler.jsonc ' +
        '(kv_namespaces, the entry with "binding": "CONTENT").\n',
    )
  })

  async function configWithNamespace(): Promise<{ dir: string; config: string }> {
    const dir = await tempDir()
    const text = await readFile(join(ROOT, 'wrangler.jsonc'), 'utf8')
    const config = join(dir, 'wrangler.jsonc')
    await writeFile(config, text.replace(/"id": "0+"/, '"id": "0123456789abcdef0123456789abcdef"'))
    return { dir, config }
  }

  it('without a login, says how to log in (exit 2)', async () => {
    const { dir, config } = await configWithNamespace()
    const result = await quire(['versions', '--remote', '--config', config], {
      env: { HOME: dir, XDG_CONFIG_HOME: dir, CLOUDFLARE_API_TOKEN: undefined, CLOUDFLARE_ACCOUNT_ID: undefined },
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^error: wrangler kv bulk get exited with 1:\n/)
    expect(result.stderr).toContain("it's necessary to set a CLOUDFLARE_API_TOKEN environment variable")
    expect(result.stderr).toContain('Log in with `npx wrangler login`, or set CLOUDFLARE_API_TOKEN to an API token allowed to edit Workers KV.')
  })

  it('with a token but no network, reports the network and never prints the token (exit 2)', async () => {
    const { dir, config } = await configWithNamespace()
    const token = 'quire-test-token-do-not-print-0123456789'
    const result = await quire(['versions', '--remote', '--config', config], {
      env: { HOME: dir, XDG_CONFIG_HOME: dir, CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_ACCOUNT_ID: '0123456789abcdef0123456789abcdef' },
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^error: wrangler kv bulk get exited with 1:\n/)
    expect(`${result.stdout}${result.stderr}`).not.toContain(token)
  })
})
