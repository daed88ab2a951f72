import { parentPort, workerData } from 'node:worker_threads'
import { indexOf, type PostTerms } from '../build/search'
import { claimChunks, type ThreadInput, type ThreadMessage } from './build-content'

// A build thread (build-content.ts): reads and stores the posts of each chunk it claims, hands
// each chunk back as it finishes, and then, if it is the thread that indexes, waits for every
// post to make the search index while the main thread stores the shards.

const input = workerData as ThreadInput
const port = parentPort
if (!port) throw new Error('build-worker.ts runs as a worker thread')
const send = (message: ThreadMessage) => port.postMessage(message)
for (const chunk of claimChunks(input)) send({ chunk })
send({ read: true })
if (input.indexes) port.once('message', (posts: PostTerms[]) => send({ index: indexOf(posts) }))
