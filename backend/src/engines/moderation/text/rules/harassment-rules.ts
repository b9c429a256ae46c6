import { TextRule } from '../text-rule';

export const HARASSMENT_RULES: readonly TextRule[] = [
  {
    id: 'harassment.insult-directed.v1',
    scores: { harassment: 0.8 },
    match: [
      '{you|u|ya} {are|re|r|is} [@insultAdjective] [@insultAdjective] [@insultAdjective] @insultNoun',
      '{youre|ur|your} [@insultAdjective] [@insultAdjective] [@insultAdjective] @insultNoun',
      '{you|u} {are|re|r} {so|such} [@insultAdjective] {stupid|dumb|ugly|fat|pathetic|worthless|useless|disgusting|hideous|repulsive|brainless|braindead|retarded}',
      '{youre|ur|you are|u r|you re} {stupid|dumb|ugly|fat|pathetic|worthless|useless|disgusting|hideous|repulsive|brainless|braindead|retarded|a waste}',
      '{you|u} {stupid|dumb|ugly|fat|pathetic|worthless|useless|disgusting|filthy|dirty|fucking|little} @insultNoun',
      '{shut up|fuck off|screw you|fuck you|eat shit|get lost} [@insultAdjective] [@insultAdjective] @insultNoun',
      '{he|she|they} {is|s|are|re} {a|an|such a|such an|so|the} [@insultAdjective] [@insultAdjective] @insultNoun',
      '{look at|check out|laugh at} this [@insultAdjective] [@insultAdjective] @insultNoun',
      '{call*|tell*|text*|messag*|label*|name*} ~3 {a|an|she s|he s|they re|shes|hes|theyre|she is|he is|they are} [@insultAdjective] [@insultAdjective] [@insultAdjective] @insultNoun',
    ],
  },
  {
    id: 'harassment.tell-to-self-harm.v1',
    scores: { harassment: 0.95, 'self-harm': 0.55 },
    match: [
      '{kill|hang|drown} {yourself|yourselves|urself|your self}',
      'kys',
      '{go|please|pls} {die|jump off a {bridge|cliff|building}|drink bleach}',
      '{you|u} should {die|kill yourself|just die|drink bleach|end it all|end your life|not exist}',
      '{nobody|no one|noone} would {miss|care about|cry for} {you|u}',
      '{nobody|no one|noone} would {care|notice} if {you|u} {died|were dead|were gone|disappeared}',
      '{do|make} {everyone|the world|us} a favo*r and {die|kill yourself|disappear}',
      'the world {would be|is} better {without you|off without you|if you {died|were dead}}',
    ],
    // Asking how is self-harm/instructions, not abuse aimed at someone.
    unless: ['{how to|how do|best|method*|way to|ways to|easiest|quickest|painless|tips|steps}'],
  },
  {
    id: 'harassment.tell-to-self-harm-idiom-aware.v1',
    scores: { harassment: 0.9, 'self-harm': 0.5 },
    match: ['{shoot|cut|stab|burn} {yourself|urself|your self}'],
    unless: ['{slice|piece|foot|feet|some slack|a break|a deal|a portion|free|loose|off from}'],
  },
  {
    id: 'harassment.degrade-person.v1',
    scores: { harassment: 0.75 },
    match: [
      '{nobody|no one|noone} {likes|loves|wants|cares about} {you|u|her|him}',
      '{nobody|no one|noone} ~3 {can stand|likes|loves|wants|cares about|would miss} {you|u|her|him|them}',
      '{everyone|everybody} {hates|laughs at} {you|u}',
      '{you|u} {will|ll} never {be loved|amount to anything|be anything}',
      "{you|u} {disgust|repulse|sicken} {me|everyone}",
      'go {cry|rot|choke} [somewhere]',
    ],
  },
  {
    id: 'harassment.bullying-content.v1',
    scores: { harassment: 0.75 },
    match: [
      '{mock*|humiliat*|ridicul*|make fun of|making fun of|bully|bullying|cyberbull*|shame|shaming|body shame|body shaming|taunt*|insult*|harass*|torment*|degrad*|belittl*} ~2 {my|our|a|the|this|that|his|her|their} [@insultAdjective] {@relation|fat kid|fat girl|fat boy|nerd|disabled {kid|girl|boy|person}|autistic {kid|girl|boy|person}|stutter*|new kid|weird kid|girl|boy|kid|coworker|student}',
      '{make fun of|mock*|laugh at|ridicule} ~3 {weight|stutter|disabilit*|acne|braces|lisp|accent|wheelchair|scars|appearance|looks|body}',
      '{spread|post|share} ~2 {rumo*rs|lies|nudes|embarrassing {photos|pictures|videos}|private {photos|pictures|messages}} about ~2 @person',
      '{post|leak|publish|share|dox*} ~2 {her|his|their|my @relation} {home address|address|phone number|location|personal info*|private info*}',
      '{make|turn} ~2 {everyone|the whole {school|class|office}} {hate|turn against|laugh at} ~2 @person',
      'dox* {her|him|them|@person}',
    ],
    unless: ['{stop*|prevent*|anti|against|report*|deal with|cope with|respond to|awareness|support|victims of|effects of|campaign|policy|protect*}'],
  },
];
