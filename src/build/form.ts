/**
 * The form of what a publish stores (the head, shards, search blobs): raised by one whenever the
 * build writes anything differently, since a Worker reads every form older code wrote but not
 * always a newer one. `quire deploy` records the form its Worker reads (`worker-form` in KV), and
 * a publish refuses to write a newer form than the deployed Worker reads, so a publish with an
 * upgraded CLI before the upgraded Worker is deployed cannot take the blog down.
 * tests/unit/stored-form.test.ts fails, and says so, when the build's output for its fixed blog
 * changes and this does not. Form 2: the head may name an images index (`images`), which a Worker
 * of form 1 would leave unread, answering 404 for every image.
 */
export const STORED_FORM = 2
