/** One thing wrong with the content, located as precisely as we can: file, line, column, field. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly where: { line?: number; column?: number; field?: string } = {},
  ) {
    const at = [file, where.line, where.line !== undefined ? where.column : undefined]
      .filter((part) => part !== undefined)
      .join(':')
    super(`${at}: ${where.field ? `${where.field}: ` : ''}${problem}`)
    this.name = 'ContentError'
  }
}

/** Every problem found in one pass, so the author fixes them all at once. */
export class ContentErrors extends Error {
  constructor(readonly errors: ContentError[]) {
    super(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} in content:\n` +
        errors.map((e) => `  ${e.message}`).join('\n'),
    )
    this.name = 'ContentErrors'
  }
}
