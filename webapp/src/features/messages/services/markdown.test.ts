// Must load before DOMPurify (imported by ./markdown): see the file.
import './__test__/happyDomNodeName'
import { describe, expect, it } from 'vitest'
import { isSafeHref, plainPreview, renderMarkdown, sanitizeHtml } from './markdown'

// Parses rendered HTML so assertions look at structure, not string details.
function dom(html: string): HTMLDivElement {
  const div = document.createElement('div')
  div.innerHTML = html
  return div
}

function render(text: string, ctx = {}): HTMLDivElement {
  return dom(renderMarkdown(text, ctx))
}

// Every element and attribute that would let a message run code or load things.
function dangerous(root: Element): string[] {
  const found: string[] = []
  for (const el of Array.from(root.querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase()
    if (['script', 'iframe', 'style', 'img', 'form', 'input', 'button', 'textarea', 'select', 'object', 'embed', 'svg'].includes(tag)) {
      found.push(tag)
    }
    for (const attr of Array.from(el.attributes)) {
      if (attr.name.startsWith('on') || attr.name === 'style' || attr.name === 'src') found.push(`${tag}[${attr.name}]`)
    }
  }
  return found
}

describe('renderMarkdown: markdown', () => {
  it('renders GFM paragraphs, emphasis, headings, lists and tables', () => {
    const root = render('# Title\n\n**bold** _em_ ~~gone~~\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |')
    expect(root.querySelector('h1')?.textContent).toBe('Title')
    expect(root.querySelector('strong')?.textContent).toBe('bold')
    expect(root.querySelector('em')?.textContent).toBe('em')
    expect(root.querySelector('del')?.textContent).toBe('gone')
    expect(root.querySelectorAll('ul > li')).toHaveLength(2)
    expect(root.querySelectorAll('td')).toHaveLength(2)
  })

  it('turns single newlines into line breaks', () => {
    const root = render('first\nsecond')
    expect(root.querySelectorAll('br')).toHaveLength(1)
    expect(root.querySelectorAll('p')).toHaveLength(1)
  })

  it('returns an empty string for an empty message', () => {
    expect(renderMarkdown('', {})).toBe('')
  })

  it('shows task list items without form controls', () => {
    const root = render('- [ ] todo\n- [x] done')
    expect(root.querySelector('input')).toBeNull()
    expect(root.textContent).toContain('☐ todo')
    expect(root.textContent).toContain('☑ done')
  })
})

describe('renderMarkdown: code', () => {
  it('keeps fenced code verbatim with its language class', () => {
    const root = render('```ts\nconst a = "@alice :smile: ~town" < 3\n```', {
      knownChannels: () => true,
    })
    const code = root.querySelector('pre > code')
    expect(code?.className).toBe('language-ts')
    expect(code?.textContent).toBe('const a = "@alice :smile: ~town" < 3\n')
    expect(root.querySelector('.mention, .channel-link')).toBeNull()
  })

  it('keeps inline code verbatim', () => {
    const root = render('run `@here :tada: <b>x</b>` now')
    const code = root.querySelector('code')
    expect(code?.textContent).toBe('@here :tada: <b>x</b>')
    expect(code?.children).toHaveLength(0)
  })
})

describe('renderMarkdown: links', () => {
  it('opens http(s) and mailto links in a new tab without opener', () => {
    const root = render('[site](https://example.com/a?b=1) <mailto:me@example.com> https://bare.example.org/x')
    const links = Array.from(root.querySelectorAll('a'))
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/a?b=1',
      'mailto:me@example.com',
      'https://bare.example.org/x',
    ])
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank')
      expect(a.getAttribute('rel')).toBe('noopener noreferrer')
    }
  })

  it('keeps relative links', () => {
    const a = render('[docs](/help/markdown)').querySelector('a')
    expect(a?.getAttribute('href')).toBe('/help/markdown')
  })

  it.each([
    ['javascript:alert(1)'],
    ['JaVaScRiPt:alert(1)'],
    ['&#106;avascript:alert(1)'],
    ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['vbscript:msgbox(1)'],
  ])('drops the href of a %s link but keeps its text', (href) => {
    const root = render(`[click me](${href})`)
    expect(root.textContent).toContain('click me')
    const a = root.querySelector('a')
    expect(a).not.toBeNull()
    expect(a?.hasAttribute('href')).toBe(false)
  })

  it('renders images as links, never loading them', () => {
    const root = render('![the logo](https://cdn.example.com/logo.png "Logo") ![](https://cdn.example.com/x.png)')
    expect(root.querySelector('img')).toBeNull()
    const links = Array.from(root.querySelectorAll('a'))
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://cdn.example.com/logo.png',
      'https://cdn.example.com/x.png',
    ])
    expect(links[0]?.textContent).toBe('the logo')
    expect(links[0]?.getAttribute('title')).toBe('Logo')
    expect(links[1]?.textContent).toBe('https://cdn.example.com/x.png')
  })
})

describe('renderMarkdown: raw HTML', () => {
  it('shows HTML tags as text instead of rendering them', () => {
    const root = render('<b>bold?</b> <script>alert(1)</script>')
    expect(root.querySelector('b, script')).toBeNull()
    expect(root.textContent).toContain('<b>bold?</b>')
    expect(root.textContent).toContain('<script>alert(1)</script>')
  })

  it('never produces active or loading elements', () => {
    const hostile = [
      '<img src=x onerror="window.__pwned=1">',
      '<iframe src="https://evil.example"></iframe>',
      '<style>body{display:none}</style>',
      '<form action="https://evil.example"><input name="q"><button>go</button></form>',
      '<div onclick="alert(1)" style="color:red">block html</div>',
      '<svg onload="alert(1)"></svg>',
      '<a href="javascript:alert(1)">raw link</a>',
    ].join('\n\n')
    const html = renderMarkdown(hostile, {})
    const root = dom(html)
    expect(dangerous(root)).toEqual([])
    expect(root.querySelector('a[href^="javascript"]')).toBeNull()
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
  })
})

describe('renderMarkdown: emoji', () => {
  it('replaces known shortcodes and leaves unknown ones as typed', () => {
    const root = render('ship it :rocket: :+1: :tada: :my_custom_emoji:')
    expect(root.textContent).toBe('ship it 🚀 👍 🎉 :my_custom_emoji:')
  })

  it('does not touch times or URLs', () => {
    const root = render('at 10:30:45 see https://example.com/a:smile:b')
    expect(root.textContent).toContain('10:30:45')
    expect(root.querySelector('a')?.getAttribute('href')).toBe('https://example.com/a:smile:b')
    expect(root.querySelector('a')?.textContent).toBe('https://example.com/a:smile:b')
  })
})

describe('renderMarkdown: custom emoji', () => {
  const custom = (name: string) => (['parrot', 'smile', 'ship-it'].includes(name) ? `/api/v1/emoji/id-${name}/image` : undefined)

  it('shows a custom emoji as its image, with the name as text alternative', () => {
    const root = render('nice :parrot: work', { customEmoji: custom })
    const img = root.querySelector('img.custom-emoji')
    expect(img?.getAttribute('src')).toBe('/api/v1/emoji/id-parrot/image')
    expect(img?.getAttribute('alt')).toBe(':parrot:')
    expect(root.textContent).toBe('nice  work')
  })

  it('lets built-in names win and leaves unknown names as typed', () => {
    const root = render(':smile: :ship-it: :nobody:', { customEmoji: custom })
    expect(root.querySelectorAll('img')).toHaveLength(1)
    expect(root.querySelector('img')?.getAttribute('alt')).toBe(':ship-it:')
    expect(root.textContent).toBe('😄  :nobody:')
  })

  it('matches names case-insensitively, keeps mentions around it and leaves code alone', () => {
    const root = render('@alice :Parrot:@bob `:parrot:`', { customEmoji: custom, me: 'alice' })
    expect(root.querySelector('img')?.getAttribute('data-emoji')).toBe('parrot')
    expect(Array.from(root.querySelectorAll('.mention')).map((m) => m.textContent)).toEqual(['@alice', '@bob'])
    expect(root.querySelector('code')?.textContent).toBe(':parrot:')
  })

  it('renders no image without the lookup (previews, notifications)', () => {
    expect(render(':parrot:').querySelector('img')).toBeNull()
    expect(plainPreview('party :parrot:')).toBe('party :parrot:')
  })
})

describe('renderMarkdown: mentions', () => {
  it('wraps @username in a mention span', () => {
    const html = renderMarkdown('hi @alice', {})
    expect(html).toContain('<span class="mention" data-mention="alice">@alice</span>')
  })

  it('marks mentions of me and of @channel, @all and @here', () => {
    const root = render('@bob @alice @channel @all @here', { me: 'bob', knownUsers: () => false })
    const spans = Array.from(root.querySelectorAll('span.mention'))
    expect(spans.map((s) => s.getAttribute('data-mention'))).toEqual(['channel', 'all', 'here'])
    expect(spans.every((s) => s.classList.contains('mention--me'))).toBe(true)

    const mine = render('@bob and @alice', { me: 'bob' })
    expect(mine.querySelector('[data-mention="bob"]')?.classList.contains('mention--me')).toBe(true)
    expect(mine.querySelector('[data-mention="alice"]')?.classList.contains('mention--me')).toBe(false)
  })

  it('only marks users that exist when knownUsers is given', () => {
    const root = render('@alice @nobody', { knownUsers: (u: string) => u === 'alice' })
    expect(Array.from(root.querySelectorAll('.mention')).map((s) => s.textContent)).toEqual(['@alice'])
    expect(root.textContent).toBe('@alice @nobody')
  })

  it.each(['.', ',', '!', '?', ':'])('leaves a trailing "%s" out of the mention', (p) => {
    const root = render(`thanks @alice${p}`, { knownUsers: (u: string) => u === 'alice' })
    const span = root.querySelector('.mention')
    expect(span?.getAttribute('data-mention')).toBe('alice')
    expect(span?.textContent).toBe('@alice')
    expect(root.textContent).toBe(`thanks @alice${p}`)
  })

  it('keeps dots inside usernames', () => {
    const root = render('ping @john.smith.', { knownUsers: (u: string) => u === 'john.smith' })
    expect(root.querySelector('.mention')?.getAttribute('data-mention')).toBe('john.smith')
  })

  it('does not treat e-mail addresses or link text as mentions', () => {
    const root = render('write to bob@example.com or [@alice](https://example.com)')
    expect(root.querySelector('.mention')).toBeNull()
  })

  it('keeps what follows a mention as text', () => {
    const root = render('@alice<img src=x>', {})
    expect(dangerous(root)).toEqual([])
    expect(root.querySelector('.mention')?.textContent).toBe('@alice')
  })
})

describe('renderMarkdown: channel links', () => {
  const knownChannels = (name: string) => name === 'town-square'

  it('links ~channel-name when the channel exists', () => {
    const root = render('see ~town-square, not ~nowhere', { knownChannels })
    const links = Array.from(root.querySelectorAll('a.channel-link'))
    expect(links).toHaveLength(1)
    expect(links[0]?.getAttribute('href')).toBe('#channel:town-square')
    expect(links[0]?.textContent).toBe('~town-square')
    expect(links[0]?.hasAttribute('target')).toBe(false)
    expect(root.textContent).toBe('see ~town-square, not ~nowhere')
  })

  it('does not link without knownChannels', () => {
    expect(render('~town-square').querySelector('a')).toBeNull()
  })

  it('does not read two single tildes as strikethrough', () => {
    const root = render('~town-square and ~town-square', { knownChannels })
    expect(root.querySelector('del')).toBeNull()
    expect(root.querySelectorAll('a.channel-link')).toHaveLength(2)
  })
})

describe('sanitizeHtml', () => {
  it('removes scripts, styles, images, forms and event handlers', () => {
    const html = sanitizeHtml(
      '<p onclick="x()">a<img src=x onerror="window.__pwned=2"></p><script>window.__pwned=3</script>' +
        '<style>p{}</style><form><input></form><a href="javascript:alert(1)">j</a><!-- note --><p>b</p>',
    )
    const root = dom(html)
    expect(dangerous(root)).toEqual([])
    expect(root.querySelector('a')?.hasAttribute('href')).toBe(false)
    expect(html).not.toContain('<!--')
    expect(Array.from(root.querySelectorAll('p')).map((p) => p.textContent)).toEqual(['a', 'b'])
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
  })

  it('keeps a language class on code only', () => {
    const root = dom(sanitizeHtml('<pre><code class="language-rust">fn</code></pre><p class="evil">x</p>'))
    expect(root.querySelector('code')?.className).toBe('language-rust')
    expect(root.querySelector('p')?.hasAttribute('class')).toBe(false)
  })
})

describe('isSafeHref', () => {
  it('allows http, https, mailto and relative URLs', () => {
    for (const h of ['http://a.b', 'https://a.b/c', 'mailto:x@y.z', '/rel', 'rel/path', '#frag', '?q=1']) {
      expect(isSafeHref(h), h).toBe(true)
    }
  })

  it('rejects other schemes, even obfuscated', () => {
    for (const h of ['javascript:alert(1)', ' JAVASCRIPT:x', 'java\tscript:x', 'data:text/html,x', 'file:///etc/passwd', 'vbscript:x']) {
      expect(isSafeHref(h), h).toBe(false)
    }
  })
})

describe('plainPreview', () => {
  it('strips markdown to one line of text', () => {
    const text = '# Release\n\n**Bold** and _em_ with `code`, a [link](https://x.example) and ![alt](https://y.example/i.png)\n\n- one\n- two\n\n> quoted'
    expect(plainPreview(text, 200)).toBe('Release Bold and em with code, a link and alt one two quoted')
  })

  it('resolves emoji and keeps mentions as typed', () => {
    expect(plainPreview('@alice :tada: done :custom:')).toBe('@alice 🎉 done :custom:')
  })

  it('keeps code block content and decodes entities', () => {
    expect(plainPreview('```\nlet x = 1\n```\nTom &amp; Jerry')).toBe('let x = 1 Tom & Jerry')
  })

  it('cuts long text to max characters with an ellipsis', () => {
    const out = plainPreview('word '.repeat(50), 20)
    expect(Array.from(out)).toHaveLength(20)
    expect(out.endsWith('…')).toBe(true)
    expect(plainPreview('short', 20)).toBe('short')
  })

  it('never splits an emoji', () => {
    const out = plainPreview('🎉🎉🎉🎉🎉🎉', 4)
    expect(out).toBe('🎉🎉🎉…')
  })

  it('defaults to 80 characters', () => {
    expect(Array.from(plainPreview('x'.repeat(200)))).toHaveLength(80)
  })
})
