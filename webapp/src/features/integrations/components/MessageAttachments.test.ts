import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { mount, type Mounted } from '@/app/__test__/mount'
import MessageAttachments from './MessageAttachments.vue'

vi.mock('@/app/router', () => ({ router: { push: vi.fn() } }))

let mounted: Mounted | null = null
afterEach(() => {
  mounted?.unmount()
  mounted = null
})

function render(...attachments: unknown[]): HTMLElement {
  mounted = mount(MessageAttachments, { postId: 'p1', postProps: { attachments } })
  return mounted.el
}

const q = (root: ParentNode, testid: string) => root.querySelector(`[data-testid="${testid}"]`)
const qa = (root: ParentNode, testid: string) => Array.from(root.querySelectorAll(`[data-testid="${testid}"]`))

describe('message attachments', () => {
  it('renders every part of an attachment', () => {
    const el = render({
      fallback: 'FALLBACK TEXT',
      color: '#36a64f',
      pretext: 'Deploy *started*',
      author_name: 'ci-bot',
      author_link: 'https://ci.example.com/bot',
      author_icon: 'https://ci.example.com/bot.png',
      title: 'Build 42',
      title_link: 'https://ci.example.com/build/42',
      text: 'All **green**',
      image_url: 'https://ci.example.com/graph.png',
      thumb_url: 'https://ci.example.com/thumb.png',
      footer: 'CI',
      footer_icon: 'https://ci.example.com/ci.png',
    })
    expect(el.textContent).not.toContain('FALLBACK TEXT')
    expect(q(el, 'msg-attachment-pretext')?.querySelector('em')?.textContent).toBe('started')
    const author = q(el, 'msg-attachment-author')
    expect(author?.textContent?.trim()).toBe('ci-bot')
    expect(author?.querySelector('a')?.getAttribute('href')).toBe('https://ci.example.com/bot')
    expect(author?.querySelector('img')?.getAttribute('src')).toBe('https://ci.example.com/bot.png')
    const title = q(el, 'msg-attachment-title')?.querySelector('a')
    expect(title?.textContent).toBe('Build 42')
    expect(title?.getAttribute('href')).toBe('https://ci.example.com/build/42')
    expect(title?.getAttribute('target')).toBe('_blank')
    expect(title?.getAttribute('rel')).toContain('noopener')
    expect(q(el, 'msg-attachment-text')?.querySelector('strong')?.textContent).toBe('green')
    expect(q(el, 'msg-attachment-image')?.getAttribute('src')).toBe('https://ci.example.com/graph.png')
    expect(q(el, 'msg-attachment-thumb')?.getAttribute('src')).toBe('https://ci.example.com/thumb.png')
    const footer = q(el, 'msg-attachment-footer')
    expect(footer?.textContent?.trim()).toBe('CI')
    expect(footer?.querySelector('img')?.getAttribute('src')).toBe('https://ci.example.com/ci.png')
  })

  it('lays fields out two short ones to a row, long ones alone', () => {
    const el = render({
      fields: [
        { title: 'Branch', value: 'main', short: true },
        { title: 'Commit', value: 'abc123', short: true },
        { title: 'Changes', value: '- one\n- two', short: false },
        { title: 'Took', value: '3m', short: true },
      ],
    })
    const rows = qa(el, 'msg-attachment-field-row')
    expect(rows.map((r) => qa(r, 'msg-attachment-field').length)).toEqual([2, 1, 1])
    expect(rows[0]?.textContent).toContain('Branch')
    expect(rows[0]?.textContent).toContain('Commit')
    expect(rows[1]?.querySelectorAll('li')).toHaveLength(2)
    expect(qa(el, 'msg-attachment-field').map((f) => f.classList.contains('short'))).toEqual([true, true, false, true])
  })

  it('colours the bar with a hex colour or a named one, and ignores anything else', () => {
    const el = render({ color: '#ff0000', text: 'a' }, { color: 'danger', text: 'b' }, { color: 'red;background:url(x)', text: 'c' })
    const boxes = qa(el, 'msg-attachment-box') as HTMLElement[]
    expect(boxes.map((b) => b.dataset.color)).toEqual(['#ff0000', '#e40303', undefined])
    expect(boxes[0]?.style.borderLeftColor).not.toBe('')
    expect(boxes[2]?.getAttribute('style') ?? '').not.toContain('url')
  })

  it('sanitises markdown in text, pretext and fields', () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) <b>bold</b>'
    const el = render({ pretext: evil, text: evil, fields: [{ title: 'f', value: evil }] })
    for (const part of ['msg-attachment-pretext', 'msg-attachment-text']) {
      const node = q(el, part)
      expect(node?.querySelector('script, img, b, [onerror]'), part).toBeNull()
      expect(node?.textContent).toContain('<b>bold</b>')
      for (const a of Array.from(node?.querySelectorAll('a') ?? [])) expect(a.getAttribute('href') ?? '').not.toMatch(/javascript/i)
    }
    expect(el.querySelector('.msg-attachment-field-value script, .msg-attachment-field-value img')).toBeNull()
    expect(el.querySelector('script')).toBeNull()
  })

  it('refuses links and images that are not http(s)', () => {
    const el = render({
      author_name: 'mallory',
      author_link: 'javascript:alert(1)',
      author_icon: 'data:image/svg+xml,<svg onload=alert(1)>',
      title: 'Click me',
      title_link: 'javascript:alert(2)',
      image_url: 'javascript:alert(3)',
      thumb_url: '//evil.example/x.png',
      footer: 'f',
      footer_icon: 'vbscript:x',
    })
    expect(el.querySelector('a')).toBeNull()
    expect(el.querySelector('img')).toBeNull()
    expect(q(el, 'msg-attachment-title')?.textContent?.trim()).toBe('Click me')
    expect(q(el, 'msg-attachment-author')?.textContent?.trim()).toBe('mallory')
  })

  it('leaves out images that do not load, linking to the main one instead', async () => {
    const el = render({ title: 'Graph', image_url: 'https://ci.example.com/graph.png', thumb_url: 'https://ci.example.com/t.png' })
    q(el, 'msg-attachment-image')?.dispatchEvent(new Event('error'))
    q(el, 'msg-attachment-thumb')?.dispatchEvent(new Event('error'))
    await nextTick()
    expect(q(el, 'msg-attachment-image')).toBeNull()
    expect(q(el, 'msg-attachment-thumb')).toBeNull()
    const link = q(el, 'msg-attachment-image-link')
    expect(link?.getAttribute('href')).toBe('https://ci.example.com/graph.png')
    expect(link?.getAttribute('rel')).toContain('noopener')
  })

  it('shows nothing for a post without attachments', () => {
    mounted = mount(MessageAttachments, { postId: 'p1', postProps: {} })
    expect(mounted.el.querySelector('[data-testid="message-attachments"]')).toBeNull()
  })
})
