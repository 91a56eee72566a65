// Test-only shim. happy-dom's `Node.prototype.nodeName` getter returns '' for
// every node (subclasses override it), but DOMPurify ≥ 3.4.8 reads nodeName
// through that prototype getter, so under happy-dom it sees nameless nodes and
// unwraps elements such as the first <p>. Browsers are not affected. Import
// this before anything that loads DOMPurify; it does nothing once happy-dom
// behaves like a browser.

const desc = Object.getOwnPropertyDescriptor(Node.prototype, 'nodeName')
if (desc?.get && desc.get.call(document.createElement('p')) !== 'P') {
  Object.defineProperty(Node.prototype, 'nodeName', {
    configurable: true,
    get(this: Node): string {
      switch (this.nodeType) {
        case 1: return (this as Element).tagName
        case 3: return '#text'
        case 4: return '#cdata-section'
        case 7: return (this as ProcessingInstruction).target
        case 8: return '#comment'
        case 9: return '#document'
        case 10: return (this as DocumentType).name
        case 11: return '#document-fragment'
        default: return ''
      }
    },
  })
}

export {}
