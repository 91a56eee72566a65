// Finds words written straight into templates instead of taken from the
// catalogues: text between tags, and the attributes people read (title,
// aria-label, placeholder, alt, label). Used by a test so that English stays
// complete as the UI grows.
import { parse, type TemplateChildNode } from '@vue/compiler-dom'

/** Attributes whose value is shown or read aloud. */
const READ_ATTRIBUTES = new Set(['title', 'aria-label', 'placeholder', 'alt', 'label', 'aria-description'])

/** Text that is not a word to translate: symbols, numbers, a lone letter key. */
function isWording(text: string): boolean {
  return /\p{L}{2,}/u.test(text)
}

export interface Untranslated {
  line: number
  text: string
}

/** The hard-coded wording of one component's template. */
export function untranslatedIn(sfc: string): Untranslated[] {
  const template = sfc.match(/<template>([\s\S]*)<\/template>/)
  if (!template) return []
  const offset = sfc.slice(0, template.index).split('\n').length - 1
  const found: Untranslated[] = []
  const visit = (nodes: TemplateChildNode[]): void => {
    for (const node of nodes) {
      // 2: text, 1: element (compiler-core's NodeTypes).
      if (node.type === 2 && isWording(node.content)) {
        found.push({ line: node.loc.start.line + offset, text: node.content.trim() })
      }
      if (node.type === 1) {
        for (const prop of node.props) {
          // 6: a static attribute.
          if (prop.type === 6 && READ_ATTRIBUTES.has(prop.name) && prop.value && isWording(prop.value.content)) {
            found.push({ line: prop.loc.start.line + offset, text: `${prop.name}="${prop.value.content}"` })
          }
        }
        visit(node.children)
      }
    }
  }
  visit(parse(template[1] ?? '').children)
  return found
}
