import { parentPort, workerData } from 'node:worker_threads'
import { claimChunks, type ThreadInput } from './build-content'

// A build thread (build-content.ts): reads and stores the posts of each chunk it claims, and hands
// each chunk back as it finishes.

for (const chunk of claimChunks(workerData as ThreadInput)) parentPort?.postMessage(chunk)
