import * as v from 'valibot'
import { isTimeZone, parseContentDate } from '../content/time'
import { ContentError } from './errors'
import type { FrontMatter } from './frontmatter'

const text = (what: string) => v.pipe(v.string(`must be ${what}`), v.trim(), v.nonEmpty(`must not be empty`))
const optionalText = v.optional(v.pipe(v.string('must be text'), v.trim()))
const SLUG = /^[a-z0-9][a-z0-9_-]{0,199}$/

const PostFrontMatter = v.strictObject(
  {
    title: text('text, e.g. title: "My post"'),
    date: v.union([v.string(), v.date()], 'must be a date, e.g. 2026-03-03T08:30:00-05:00'),
    updated: v.optional(v.union([v.string(), v.date()], 'must be a date, e.g. 2026-03-04T10:00:00Z')),
    labels: v.optional(
      v.union(
        [
          v.pipe(v.string(), v.trim(), v.nonEmpty(), v.transform((label) => [label])),
          v.array(v.pipe(v.string(), v.trim(), v.nonEmpty())),
        ],
        'must be a list of names, e.g. labels: [Django, Python]',
      ),
      [],
    ),
    summary: optionalText,
    draft: v.optional(v.boolean('must be true or false'), false),
    author: optionalText,
    slug: v.optional(v.pipe(v.string('must be text'), v.regex(SLUG, 'must be lowercase letters, digits, "-" or "_"'))),
  },
  (issue) => `unknown field "${String(issue.input)}"`,
)

const PageFrontMatter = v.strictObject(
  {
    title: text('text'),
    description: optionalText,
    slug: v.optional(v.pipe(v.string('must be text'), v.regex(SLUG, 'must be lowercase letters, digits, "-" or "_"'))),
  },
  (issue) => `unknown field "${String(issue.input)}"`,
)

const SiteSettings = v.strictObject(
  {
    title: text('text'),
    description: v.optional(v.pipe(v.string('must be text'), v.trim()), ''),
    author: text('text'),
    baseUrl: v.pipe(
      v.string('must be a URL'),
      v.check((url) => /^https?:\/\/[^/\s]+/.test(url) && URL.canParse(url), 'must be an absolute URL such as https://blog.example.com'),
      v.transform((url) => url.replace(/\/+$/, '')),
    ),
    language: v.optional(v.pipe(v.string('must be a language tag'), v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or en-GB')), 'en'),
    timeZone: v.optional(v.pipe(v.string('must be a time zone'), v.check(isTimeZone, 'must be an IANA time zone such as Europe/Paris')), 'UTC'),
    postsPerPage: v.optional(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(50, 'must be at most 50')), 7),
  },
  (issue) => `unknown setting "${String(issue.input)}"`,
)

export type PostFrontMatter = v.InferOutput<typeof PostFrontMatter>
export type PageFrontMatter = v.InferOutput<typeof PageFrontMatter>
export type SiteSettings = v.InferOutput<typeof SiteSettings>

function validate<S extends v.GenericSchema>(
  schema: S,
  file: string,
  fm: FrontMatter,
  errors: ContentError[],
): v.InferOutput<S> | null {
  const result = v.safeParse(schema, fm.data)
  if (result.success) return result.output
  for (const issue of result.issues) {
    const field = issue.path?.[0]?.key
    const name = typeof field === 'string' ? field : issue.kind === 'schema' && issue.type === 'strict_object' ? String(issue.input) : undefined
    const missing = issue.input === undefined && name !== undefined && !(name in fm.data)
    errors.push(
      new ContentError(file, missing ? 'is required' : issue.message, {
        // A missing field has no line of its own: point at the start of the front matter.
        line: (name ? fm.lineOf(name) : undefined) ?? (missing ? 1 : undefined),
        field: name,
      }),
    )
  }
  return null
}

export const validatePost = (file: string, fm: FrontMatter, errors: ContentError[]) =>
  validate(PostFrontMatter, file, fm, errors)
export const validatePage = (file: string, fm: FrontMatter, errors: ContentError[]) =>
  validate(PageFrontMatter, file, fm, errors)
export const validateSite = (file: string, fm: FrontMatter, errors: ContentError[]) =>
  validate(SiteSettings, file, fm, errors)

/** Reads a date field, or records an error naming the field and its line. */
export function readDate(
  value: string | Date,
  field: string,
  timeZone: string,
  file: string,
  fm: FrontMatter,
  errors: ContentError[],
): number | null {
  const instant = value instanceof Date ? value.getTime() : parseContentDate(value, timeZone)
  if (Number.isNaN(instant)) {
    errors.push(
      new ContentError(file, `cannot read "${String(value)}" as a date; write e.g. 2026-03-03T08:30:00-05:00, or 2026-03-03 08:30 in the site's time zone`, {
        line: fm.lineOf(field),
        field,
      }),
    )
    return null
  }
  return instant
}
