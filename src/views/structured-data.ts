import type { PostMeta, Site } from '../content/schema'

/** schema.org BlogPosting for a post page: what search engines show about it. */
export function blogPosting(site: Site, post: PostMeta, snippet: string): Record<string, unknown> {
  const url = `${site.baseUrl}${post.path}`
  return {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: post.title,
    description: post.summary ?? snippet,
    datePublished: post.date,
    dateModified: post.updated ?? post.date,
    author: { '@type': 'Person', name: post.author },
    publisher: { '@type': 'Organization', name: site.title, url: `${site.baseUrl}/` },
    url,
    mainEntityOfPage: url,
    keywords: post.labels.join(', '),
    inLanguage: site.language,
  }
}
