import { t } from '@/app/i18n/i18n'
import type { ShownSetting } from '../repositories/adminRepository'

/** A setting's value as the table shows it; `null` is a setting left unset. */
export function settingValue(value: unknown): { text: string; unset: boolean } {
  if (value === null || value === undefined) return { text: t('admin.config.unset'), unset: true }
  if (typeof value === 'string') return { text: value === '' ? '""' : value, unset: false }
  if (Array.isArray(value)) return { text: value.length ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') : '[]', unset: false }
  return { text: typeof value === 'object' ? JSON.stringify(value) : String(value), unset: false }
}

/** Whether a search matches the setting's key, variable, description or shown value. */
export function matchesSetting(setting: ShownSetting, term: string): boolean {
  const words = term.trim().toLowerCase().split(/\s+/).filter(Boolean)
  if (!words.length) return true
  const text = [setting.key, setting.variable, setting.description, settingValue(setting.value).text].join(' ').toLowerCase()
  return words.every((w) => text.includes(w))
}
