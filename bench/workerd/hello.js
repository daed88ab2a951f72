// The ceiling: the least a Worker can do. P1 divides Quire's cached-page rate by this one's.
export default {
  fetch() {
    return new Response('Hello World!')
  },
}
