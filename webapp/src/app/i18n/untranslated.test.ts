import { describe, expect, it } from 'vitest'
import { untranslatedIn } from './untranslated'

describe('untranslated wording', () => {
  it('finds text and read attributes, not bindings or symbols', () => {
    const found = untranslatedIn(`<script setup lang="ts"></script>
<template>
  <div title="Close it">
    {{ t('x') }} · ×
    <button :aria-label="t('y')">Save now</button>
    <img alt="" />
  </div>
</template>`)
    expect(found.map((f) => f.text)).toEqual(['title="Close it"', 'Save now'])
    expect(found[0]?.line).toBe(3)
  })

  it('leaves no wording in any component outside the catalogues', () => {
    const components = import.meta.glob('/src/**/*.vue', { query: '?raw', import: 'default', eager: true }) as Record<string, string>
    const left = Object.entries(components).flatMap(([file, source]) =>
      untranslatedIn(source).map((u) => `${file}:${u.line} ${u.text}`),
    )
    expect(left).toEqual([])
  })
})
