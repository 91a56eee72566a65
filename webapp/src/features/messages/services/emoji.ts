// A compact table of common emoji, keyed by Mattermost's emoji names, so that
// `:shortcodes:` render and reactions by name work without loading the full
// (~1.7 MB) emoji data set. Unknown names are left for the caller to handle
// (custom emoji, or shown as typed).

export interface EmojiMatch {
  name: string
  char: string
}

// Each entry is `name[,alias…]=char`, entries separated by whitespace.
// Kept as text so the table stays small and easy to scan.
const TABLE = `
grinning=😀 smiley=😃 smile=😄 grin=😁 laughing,satisfied=😆 sweat_smile=😅
rolling_on_the_floor_laughing,rofl=🤣 joy=😂 slightly_smiling_face=🙂 upside_down_face=🙃 wink=😉
blush=😊 innocent=😇 heart_eyes=😍 star-struck=🤩 kissing_heart=😘 relaxed=☺️ yum=😋
stuck_out_tongue=😛 stuck_out_tongue_winking_eye=😜 zany_face=🤪 hugging_face,hugs=🤗
face_with_hand_over_mouth=🤭 shushing_face=🤫 thinking_face,thinking=🤔
face_with_raised_eyebrow=🤨 neutral_face=😐 expressionless=😑 smirk=😏 unamused=😒
face_with_rolling_eyes,roll_eyes=🙄 grimacing=😬 relieved=😌 pensive=😔 sleepy=😪 sleeping=😴
mask=😷 face_with_thermometer=🤒 face_vomiting=🤮 exploding_head=🤯 partying_face=🥳 sunglasses=😎
nerd_face=🤓 face_with_monocle=🧐 confused=😕 worried=😟 slightly_frowning_face=🙁 astonished=😲
flushed=😳 pleading_face=🥺 cry=😢 sob=😭 scream=😱 disappointed=😞 weary=😩 triumph=😤 rage=😡
angry=😠 face_with_symbols_on_mouth=🤬 skull=💀 hankey,poop,shit=💩 clown_face=🤡 ghost=👻
robot_face=🤖 see_no_evil=🙈

wave=👋 hand,raised_hand=✋ ok_hand=👌 v=✌️ crossed_fingers=🤞 the_horns,sign_of_the_horns=🤘
point_left=👈 point_right=👉 point_up=☝️ +1,thumbsup=👍 -1,thumbsdown=👎 fist=✊
facepunch,punch=👊 clap=👏 raised_hands=🙌 handshake=🤝 pray=🙏 muscle=💪 eyes=👀 brain=🧠 shrug=🤷
face_palm=🤦 bow=🙇 raising_hand=🙋 dancer=💃

heart=❤️ orange_heart=🧡 yellow_heart=💛 green_heart=💚 blue_heart=💙 purple_heart=💜
black_heart=🖤 broken_heart=💔 two_hearts=💕 sparkling_heart=💖 100=💯 boom,collision=💥 dizzy=💫
dash=💨 speech_balloon=💬 thought_balloon=💭 zzz=💤

dog=🐶 cat=🐱 fox_face=🦊 bear=🐻 panda_face=🐼 unicorn_face=🦄 penguin=🐧 owl=🦉 bee,honeybee=🐝
bug=🐛 butterfly=🦋 snake=🐍 seedling=🌱 cactus=🌵 four_leaf_clover=🍀 rose=🌹 sunflower=🌻
cherry_blossom=🌸 sunny=☀️ cloud=☁️ rainbow=🌈 snowflake=❄️ zap=⚡ ocean=🌊 crescent_moon=🌙
star=⭐ star2=🌟 sparkles=✨ fire=🔥

pizza=🍕 hamburger=🍔 taco=🌮 sushi=🍣 doughnut=🍩 cookie=🍪 cake=🍰 birthday=🎂 coffee=☕ tea=🍵
beer=🍺 beers=🍻 wine_glass=🍷 champagne=🍾 clinking_glasses=🥂
sandwich=🥪 house=🏠 palm_tree=🌴 desert_island=🏝️ office=🏢

tada=🎉 balloon=🎈 gift=🎁 trophy=🏆 first_place_medal=🥇 soccer=⚽ video_game=🎮 dart=🎯 art=🎨
rocket=🚀 airplane=✈️ car,red_car=🚗 construction=🚧 rotating_light=🚨 triangular_flag_on_post=🚩

computer=💻 camera=📷 bulb=💡 moneybag=💰 wrench=🔧 hammer_and_wrench=🛠️ gear=⚙️ link=🔗 pushpin=📌
lock=🔒 key=🔑 bell=🔔 mag=🔍 books=📚 memo,pencil=📝 calendar=📆 clipboard=📋
chart_with_upwards_trend=📈 bar_chart=📊 package=📦 email,envelope=✉️ hourglass_flowing_sand=⏳
bomb=💣

white_check_mark=✅ heavy_check_mark=✔️ ballot_box_with_check=☑️ x=❌ heavy_plus_sign=➕
warning=⚠️ no_entry=⛔ no_entry_sign=🚫 octagonal_sign=🛑 question=❓
exclamation,heavy_exclamation_mark=❗ bangbang=‼️ information_source=ℹ️ recycle=♻️
arrow_up=⬆️ arrow_down=⬇️ arrow_left=⬅️ arrow_right=➡️ arrows_counterclockwise=🔄 new=🆕 ok=🆗
red_circle=🔴 large_green_circle=🟢 large_blue_circle=🔵
`

// name → char, plus the names in table order (used to rank search results).
const BY_NAME = new Map<string, string>()
for (const entry of TABLE.split(/\s+/)) {
  if (!entry) continue
  const eq = entry.indexOf('=')
  const char = entry.slice(eq + 1)
  for (const name of entry.slice(0, eq).split(',')) BY_NAME.set(name, char)
}
const NAMES = [...BY_NAME.keys()]

/** Names offered by a quick reaction picker, most used first. */
export const QUICK_REACTIONS: readonly string[] = ['+1', 'heart', 'joy', 'tada', 'eyes', 'white_check_mark']

// Accepts `smile`, `:smile:` or `Smile`: callers pass what the user typed.
function normalise(name: string): string {
  return name.trim().replace(/^:|:$/g, '').toLowerCase()
}

/** The unicode character for a Mattermost emoji name, or undefined when it is not in the table. */
export function emojiFor(name: string): string | undefined {
  return BY_NAME.get(normalise(name))
}

/** All emoji names in the table (aliases included). */
export function emojiNames(): readonly string[] {
  return NAMES
}

/**
 * Emoji whose name starts with `prefix`, then those whose name merely contains
 * it (case-insensitive). Shorter names come first within each group since they
 * are usually the exact match; aliases of an emoji already listed are skipped.
 */
export function searchEmoji(prefix: string, limit = 8): EmojiMatch[] {
  const q = normalise(prefix)
  const byLength = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
  const starts = NAMES.filter((n) => n.startsWith(q)).sort(byLength)
  const contains = q ? NAMES.filter((n) => !n.startsWith(q) && n.includes(q)).sort(byLength) : []

  const out: EmojiMatch[] = []
  const seen = new Set<string>()
  for (const name of [...starts, ...contains]) {
    if (out.length >= limit) break
    const char = BY_NAME.get(name)
    if (char === undefined || seen.has(char)) continue
    seen.add(char)
    out.push({ name, char })
  }
  return out
}
