import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Command, Option } from 'commander'
import { ContentErrors } from '../build/errors'
import { buildContent } from './build-content'
import { checkContent, DEFAULT_RENDER_BUDGET_MS } from './check'
import { deploy } from './deploy'
import { EXIT_OK, UsageError } from './errors'
import { reportFailure } from './failure'
import { newPost } from './new-post'
import { consoleOutput, formatBytes, formatElapsed, type Output, plural } from './output'
import { DEFAULT_GRACE, parseDuration, prune } from './prune'
import { publish } from './publish'
import { status } from './status'
import { rollback, versions } from './versions'
import type { Target } from './wrangler'

// `npm run quire -- <command>`: the author's whole workflow, from a new post to a live one and back.

interface TargetFlags {
  local?: boolean
  remote?: boolean
  persistTo?: string
  env?: string
  config?: string
}

const EXIT_CODES_HELP = `
Exit codes: 0 done; 1 the content or the command line is wrong (nothing was written);
2 the target failed (wrangler, KV, login, lock): the live site still serves what it served.`

function withTarget(command: Command): Command {
  return command
    .option('--local', 'the local store that `npm start` and `wrangler dev` serve')
    .option('--remote', 'the namespace in your Cloudflare account (wrangler login or CLOUDFLARE_API_TOKEN)')
    .option('--persist-to <dir>', 'the local store directory (with --local; default .wrangler/state)')
    .option('--env <name>', 'the wrangler environment whose CONTENT namespace to use')
    .option('--config <file>', 'the wrangler config file (default wrangler.jsonc)')
}

function targetFrom(flags: TargetFlags): Target {
  if (flags.local === flags.remote || (!flags.local && !flags.remote)) {
    throw new UsageError('say where: --local (the store `npm start` serves) or --remote (your Cloudflare account)')
  }
  if (flags.remote && flags.persistTo) throw new UsageError('--persist-to names a local store: use it with --local')
  return {
    mode: flags.local ? 'local' : 'remote',
    ...(flags.persistTo ? { persistTo: flags.persistTo } : {}),
    ...(flags.env ? { env: flags.env } : {}),
    ...(flags.config ? { config: flags.config } : {}),
  }
}

const contentOption = () => new Option('--content <dir>', 'the content directory').default('content')

function renderBudget(text: string): number {
  const ms = Number(text)
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`--render-budget must be a number of milliseconds, not "${text}"`)
  return ms
}

export function buildProgram(out: Output): Command {
  const program = new Command('quire')
    .description('Write, check and publish the blog in content/ to Workers KV.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => out.info(text.trimEnd()), writeErr: (text) => out.error(text.trimEnd()) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)

  program
    .command('new')
    .description("write a new post file in content/posts/YYYY/MM/, dated now in the site's time zone")
    .argument('<title>', 'the post title; the file name (the slug) is made from it')
    .option('--labels <a,b>', 'comma-separated labels, e.g. Django,Python')
    .option('--draft', 'mark the post as a draft (left out unless published with --drafts)')
    .addOption(contentOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (title: string, flags: { labels?: string; draft?: boolean; content: string }) => {
      const path = await newPost({ contentDir: flags.content, title, labels: flags.labels?.split(','), draft: flags.draft })
      out.info(`wrote ${path}`)
      out.info('preview it with: npm start')
    })

  program
    .command('check')
    .description('validate all of content/ without uploading: every problem at once, with file, line and field')
    .option('--drafts', 'check as a publish with --drafts: drafts count as published')
    .option('--render-budget <ms>', 'the longest a post may take to render', String(DEFAULT_RENDER_BUDGET_MS))
    .addOption(contentOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (flags: { drafts?: boolean; renderBudget: string; content: string }) => {
      const started = performance.now()
      const checked = await checkContent(flags.content, { drafts: flags.drafts, renderBudgetMs: renderBudget(flags.renderBudget) })
      const { head } = checked.build
      const notes = [
        checked.scheduled > 0 ? `${checked.scheduled} scheduled` : '',
        checked.draftsLeftOut > 0 ? `${plural(checked.draftsLeftOut, 'draft')} left out` : '',
      ].filter(Boolean)
      out.info(
        `${flags.content} is fine: ${plural(checked.build.posts.length, 'post')}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}, ` +
          `${plural(head.pages.length, 'page')}, ${plural(head.labels.length, 'label')}, ` +
          `${plural(checked.internalLinks, 'internal link')} and ${plural(checked.images, 'local image')} resolve` +
          (checked.slowest ? `, slowest render ${formatElapsed(checked.slowest.ms)} (${checked.slowest.file})` : '') +
          `; checked in ${formatElapsed(performance.now() - started)}`,
      )
    })

  program
    .command('build')
    .description('build content/ into blobs and head as publish does, without rendering or uploading: the version it would publish')
    .option('--drafts', 'build as a publish with --drafts would')
    .option('--json', 'print what was built as one JSON object')
    .addOption(contentOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (flags: { drafts?: boolean; json?: boolean; content: string }) => {
      const started = performance.now()
      const dir = resolve(flags.content)
      const { build, problems } = await buildContent(dir, dirname(dir), { now: Date.now(), drafts: flags.drafts })
      if (!build) throw new ContentErrors(problems)
      const ms = performance.now() - started
      const bytes = [...build.blobs.values()].reduce((sum, value) => sum + Buffer.byteLength(value), Buffer.byteLength(build.headJson))
      const { head } = build
      if (flags.json) {
        const built = { version: head.version, posts: build.posts.length, pages: head.pages.length, labels: head.labels.length, blobs: build.blobs.size, bytes, ms }
        out.info(JSON.stringify(built))
        return
      }
      out.info(
        `${flags.content} builds version ${head.version}: ${plural(build.posts.length, 'post')}, ${plural(head.pages.length, 'page')}, ` +
          `${plural(head.labels.length, 'label')}; ${plural(build.blobs.size, 'blob')} and head, ${formatBytes(bytes)}; built in ${formatElapsed(ms)}`,
      )
    })

  withTarget(
    program
      .command('publish')
      .description('check, build, upload the blobs the target lacks, then switch head to the new version'),
  )
    .option('--dry-run', 'check, build and compare with the target, but write nothing')
    .option('--drafts', 'publish drafts too')
    .option('--render-budget <ms>', 'the longest a post may take to render', String(DEFAULT_RENDER_BUDGET_MS))
    .addOption(contentOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (flags: TargetFlags & { dryRun?: boolean; drafts?: boolean; renderBudget: string; content: string }) => {
      await publish({
        contentDir: flags.content,
        target: targetFrom(flags),
        out,
        dryRun: flags.dryRun,
        drafts: flags.drafts,
        renderBudgetMs: renderBudget(flags.renderBudget),
      })
    })

  withTarget(
    program
      .command('deploy')
      .description(
        "keep the live posts' renders under this code's renderer, then `wrangler deploy` (to a local store: keep them, and only bundle the Worker)",
      ),
  )
    .option('--dry-run', 'count the renders to keep and bundle the Worker, but write and deploy nothing')
    .addOption(contentOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (flags: TargetFlags & { dryRun?: boolean; content: string }) => {
      await deploy({ contentDir: flags.content, target: targetFrom(flags), out, dryRun: flags.dryRun })
    })

  withTarget(program.command('status').description("what differs between content/ and the target's live version: new, changed, moved, removed posts"))
    .option('--drafts', 'compare as a publish with --drafts would')
    .addOption(contentOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (flags: TargetFlags & { drafts?: boolean; content: string }) => {
      await status({ contentDir: flags.content, target: targetFrom(flags), out, drafts: flags.drafts })
    })

  withTarget(program.command('versions').description('list the live version and the earlier ones kept for rollback, newest first'))
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (flags: TargetFlags) => {
      await versions({ target: targetFrom(flags), out })
    })

  withTarget(
    program
      .command('rollback')
      .description('make an earlier version live again, byte for byte: the one before the live one, or VERSION')
      .argument('[version]', 'a version listed by `versions` (a unique prefix is enough)'),
  )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (version: string | undefined, flags: TargetFlags) => {
      await rollback({ target: targetFrom(flags), out, version })
    })

  withTarget(program.command('prune').description('delete blobs that no kept version names and that are older than the grace period'))
    .option('--older-than <duration>', 'the grace period, e.g. 90s, 10m, 1h, 2d', DEFAULT_GRACE)
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (flags: TargetFlags & { olderThan: string; dryRun?: boolean }) => {
      await prune({ target: targetFrom(flags), out, olderThanMs: parseDuration(flags.olderThan), dryRun: flags.dryRun })
    })

  program
    .command('import')
    .description('turn a Blogger backup (Atom XML) into posts and pages in content/, keeping every URL')
    .argument('<file>', 'the export: Blogger → Settings → Back up content, or feed.atom from Google Takeout')
    .addOption(contentOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (file: string, flags: { content: string }) => {
      // Turndown, its DOM and the XML parser are for this command only.
      const { importBlogger, reportImport } = await import('./import')
      const result = await importBlogger({ file, contentDir: flags.content, out })
      reportImport(result, out)
      out.info('check it with: npm run quire -- check; preview it with: npm start')
    })

  return program
}

/** Runs the CLI on `argv` (as in process.argv) and returns the exit code. */
export async function main(argv: string[], out: Output = consoleOutput): Promise<number> {
  const program = buildProgram(out)
  try {
    await program.parseAsync(argv)
    return EXIT_OK
  } catch (error) {
    return reportFailure(error, out, argv[2])
  }
}

// A reader that stops early (`quire --help | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv)
}
