import type { FC } from 'hono/jsx'

export const NotFound: FC<{ path: string }> = ({ path }) => (
  <section class="error-page">
    <h1>Page not found</h1>
    <p>
      Nothing lives at <code>{path}</code>. It may have moved, or the link may be mistyped.
    </p>
    <p>
      <a href="/">Go to the home page</a>
    </p>
  </section>
)

export const BadRequest: FC<{ title?: string; problem: string }> = ({ title = 'Bad request', problem }) => (
  <section class="error-page">
    <h1>{title}</h1>
    <p>{problem}</p>
    <p>
      <a href="/">Go to the home page</a>
    </p>
  </section>
)

export const Unavailable: FC<{ reason: string }> = ({ reason }) => (
  <section class="error-page">
    <h1>Temporarily unavailable</h1>
    <p>{reason} Please try again in a minute.</p>
  </section>
)

export const ServerError: FC = () => (
  <section class="error-page">
    <h1>Something went wrong</h1>
    <p>The error has been logged. Please try again later.</p>
  </section>
)
