import * as v from 'valibot'

// The shapes stored in KV. The publisher writes them and the Worker validates them on read, so a
// malformed value is a failed read with a clear message instead of a crash deep inside a view.

export const SiteSchema = v.object({
  title: v.string(),
  description: v.string(),
  author: v.string(),
  baseUrl: v.string(),
  language: v.string(),
  timeZone: v.string(),
  postsPerPage: v.number(),
})
export type Site = v.InferOutput<typeof SiteSchema>

/** A link to a post: enough to show it in a pager without reading its blob. */
export const PostLinkSchema = v.object({ path: v.string(), title: v.string(), date: v.string() })
export type PostLink = v.InferOutput<typeof PostLinkSchema>

/** What a list of posts shows of each post, kept in shards so that a list never reads a post. */
export const PostSummarySchema = v.object({
  path: v.string(),
  title: v.string(),
  date: v.string(),
  updated: v.optional(v.string()),
  labels: v.array(v.string()),
  snippet: v.string(),
  minutes: v.number(),
  hash: v.string(),
})
export type PostSummary = v.InferOutput<typeof PostSummarySchema>

/**
 * A run of consecutive posts, newest first. Archive shards hold whole months; label shards hold a
 * fixed number of one label's posts. `older` and `newer` name the posts just outside the run, so
 * the first and last post of a shard can link to their neighbours without another read.
 */
export const ShardSchema = v.object({
  posts: v.array(PostSummarySchema),
  older: v.nullable(PostLinkSchema),
  newer: v.nullable(PostLinkSchema),
})
export type Shard = v.InferOutput<typeof ShardSchema>

export const PostSchema = v.object({
  path: v.string(),
  title: v.string(),
  date: v.string(),
  updated: v.optional(v.string()),
  author: v.string(),
  labels: v.array(v.string()),
  summary: v.optional(v.string()),
  minutes: v.number(),
  markdown: v.string(),
})
export type Post = v.InferOutput<typeof PostSchema>

/** A post without its source: what a page shows around the rendered body. */
export const PostMetaSchema = v.omit(PostSchema, ['markdown'])
export type PostMeta = v.InferOutput<typeof PostMetaSchema>

export const PageSchema = v.object({
  slug: v.string(),
  title: v.string(),
  description: v.optional(v.string()),
  markdown: v.string(),
})
export type Page = v.InferOutput<typeof PageSchema>

export const PageMetaSchema = v.omit(PageSchema, ['markdown'])
export type PageMeta = v.InferOutput<typeof PageMetaSchema>

const ShardRefSchema = v.object({
  hash: v.string(),
  count: v.number(),
  newest: v.string(),
  oldest: v.string(),
})
export type ShardRef = v.InferOutput<typeof ShardRefSchema>

export const ArchiveShardRefSchema = v.object({
  ...ShardRefSchema.entries,
  /**
   * Months held by the shard, newest first, as `YYYY-MM` in the site's time zone, with the last
   * time a post published in them changed (scheduled posts aside): the sitemap's lastmod.
   */
  months: v.array(v.object({ month: v.string(), count: v.number(), lastmod: v.string() })),
})
export type ArchiveShardRef = v.InferOutput<typeof ArchiveShardRefSchema>

const LabelNameSchema = v.object({
  name: v.string(),
  /** The name folded for matching: URLs match labels case-insensitively. */
  key: v.string(),
  count: v.number(),
})

export const LabelSchema = v.object({
  ...LabelNameSchema.entries,
  shards: v.array(ShardRefSchema),
})
export type Label = v.InferOutput<typeof LabelSchema>

/**
 * Every label's shard refs, in the head's order of labels: the last member of its text
 * (head-text.ts). The Worker checks a label's own list (LabelShardRefsSchema) when it needs it.
 */
export const LabelShardsSchema = v.array(v.unknown())
export const LabelShardRefsSchema = v.array(ShardRefSchema)

/** A post dated after the build: counted only once its time has come. */
export const ScheduledSchema = v.object({
  path: v.string(),
  date: v.string(),
  labels: v.array(v.string()),
})
export type Scheduled = v.InferOutput<typeof ScheduledSchema>

/**
 * One bucket of the search index as published before buckets became text (src/content/postings.ts
 * encodeBucket), which a rollback can bring back: for each term, its postings as a string, or in
 * older indexes as `[id, weight]` pairs.
 */
export const JsonSearchBucketSchema = v.record(v.string(), v.union([v.string(), v.array(v.tuple([v.string(), v.number()]))]))

/** A bucket of the search index: its text, or an older index's JSON. */
export const SearchBucketSchema = v.union([v.string(), JsonSearchBucketSchema])
export type SearchBucket = v.InferOutput<typeof SearchBucketSchema>

/**
 * The search index's blobs: its buckets, by number (a term's bucket is `bucketOf(term,
 * buckets.length)`), and the terms with postings too long to share one, each with a blob of its
 * own: `term hash term hash …` (src/content/search.ts `ownBlob`), one string, which every page's
 * head checks at no cost where a list of pairs took a tenth of the head's time. Indexes published
 * before those had none.
 */
export const SearchDirectorySchema = v.object({
  buckets: v.array(v.string()),
  terms: v.optional(v.string()),
})
export type SearchDirectory = v.InferOutput<typeof SearchDirectorySchema>

export const HeadSchema = v.object({
  schema: v.literal(1),
  version: v.string(),
  site: SiteSchema,
  archive: v.array(ArchiveShardRefSchema),
  labels: v.array(LabelSchema),
  pages: v.array(v.object({ slug: v.string(), title: v.string(), hash: v.string() })),
  scheduled: v.array(ScheduledSchema),
  /**
   * The search index's directory, so that a search reads its buckets straight after the head; heads
   * published before it held the hash of a directory blob instead, and a rollback can bring one back.
   */
  search: v.union([SearchDirectorySchema, v.string()]),
  /** The hash of the images' index (ImageIndexSchema); absent when the blog has none. */
  images: v.optional(v.string()),
})
export type Head = v.InferOutput<typeof HeadSchema>

/**
 * The blog's images (content/images/), by name under /images/: each one's blob, which holds its
 * bytes as they are (src/build/images.ts), and its media type.
 */
export const ImageIndexSchema = v.record(v.string(), v.object({ hash: v.string(), type: v.string() }))

/**
 * The head without its labels' shard refs, which the Worker reads only when it needs them, and
 * with the archive's refs as the text of their lines (src/content/head-text.ts), or as JSON in a
 * head written before those.
 */
export const HeadCoreSchema = v.object({
  ...HeadSchema.entries,
  archive: v.union([v.string(), v.array(ArchiveShardRefSchema)]),
  labels: v.array(LabelNameSchema),
})
