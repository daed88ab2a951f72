import { describe, expect, it } from 'vitest'
import { buildSite, type SourceFile } from '../../src/build/build'
import { STORED_FORM } from '../../src/build/form'

// A publish refuses to write a newer stored form than the deployed Worker reads (src/build/form.ts).
// That holds only if STORED_FORM changes whenever what the build writes does: this blog's build
// is recorded with the form, and any change to the bytes asks for a new form.

const NOW = Date.parse('2026-06-01T00:00:00Z')
const SITE: SourceFile = {
  path: 'content/site.yaml',
  text: 'title: Form Blog\nauthor: Ada\nbaseUrl: https://blog.example.com/\ntimeZone: America/New_York\n',
}
const post = (path: string, front: string, body: string): SourceFile => ({ path: `content/posts/${path}`, text: `---\n${front}\n---\n${body}` })

/** A little of everything the build stores: months, labels, a page, a scheduled post, search terms, code, a table of contents, an image. */
const FILES = {
  site: SITE,
  posts: [
    post('2025/11/models.md', 'title: Models in depth\ndate: 2025-11-03T09:00:00Z\nlabels: [Django, Python]', '## Fields\n\nA model maps a table.\n\n```python\nclass Post(models.Model):\n    title = models.CharField(max_length=200)\n```\n'),
    post('2026/02/views.md', 'title: Views\ndate: 2026-02-10 08:30\nlabels: [Django]', 'Views turn requests into responses. See [models](/2025/11/models.html).\n'),
    post('2026/05/caching.md', 'title: Caching\ndate: 2026-05-20T12:00:00Z\nlabels: [Performance]\nsummary: What to cache, and when.', 'Cache what is slow, *after* measuring it.\n'),
    post('2026/07/later.md', 'title: Scheduled\ndate: 2026-07-01T06:00:00Z\nlabels: [Django]', 'Not yet live.\n'),
  ],
  pages: [{ path: 'content/pages/about.md', text: '---\ntitle: About\n---\nWho writes here.\n\n![A chart](/images/chart.png)\n' }],
  images: [{ path: 'content/images/chart.png', name: 'chart.png', data: 'iVBORw0KGgo=' }],
}

/** The form and the version its build of FILES had when the form was last raised. */
const RECORDED = { form: 2, version: 'fe8329e05a549e6e' }

describe('the stored form', () => {
  it('changes whenever the bytes the build stores do', async () => {
    const { head } = await buildSite(FILES, { now: NOW })
    const message =
      head.version === RECORDED.version
        ? 'STORED_FORM changed while the build wrote the same bytes: put it back'
        : `the build now stores this blog as version ${head.version} (it was ${RECORDED.version}): ` +
          `raise STORED_FORM in src/build/form.ts to ${RECORDED.form + 1}, and record { form: ${RECORDED.form + 1}, version: '${head.version}' } here`
    expect({ form: STORED_FORM, version: head.version }, message).toEqual(RECORDED)
  })
})
