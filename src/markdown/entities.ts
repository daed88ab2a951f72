// The entities marked and the sanitiser write when they escape text: the only ones to undo.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" }
const ENTITY = /&(amp|lt|gt|quot|#39|apos);/g

/** Text that was escaped for HTML, as it reads. */
export const decodeEntities = (text: string): string => text.replace(ENTITY, (_, name: string) => ENTITIES[name] ?? '')
